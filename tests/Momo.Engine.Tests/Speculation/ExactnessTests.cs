using Momo.Engine.Sampling;
using Momo.Engine.Speculation;

namespace Momo.Engine.Tests.Speculation;

/// <summary>
/// Statistical exactness: over random draft (q), qualifier (m) and target (p) distributions, many seeded trials of
/// each stage composition emit tokens distributed as p. The same chi-square check rejects deliberately broken rules,
/// so it has the power to notice a wrong one.
/// </summary>
public sealed class ExactnessTests
{
    private const int Vocabulary = 16;
    private const int Trials = 40_000;
    // Chi-square critical value for 15 degrees of freedom at p = 0.001 (37.7), rounded up; the trials are seeded,
    // so the verdict is deterministic.
    private const double Critical = 40.0;

    public static TheoryData<int> Seeds => [1, 2, 3];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Two_tier_emits_the_target_distribution(int seed)
    {
        var (q, _, p) = Triple(seed);
        Assert.InRange(ChiSquareOf(p, random => TwoTierFirstToken(q, p, random, broken: false)), 0, Critical);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_pyramid_emits_the_target_distribution(int seed)
    {
        var (q, m, p) = Triple(seed);
        Assert.InRange(ChiSquareOf(p, random => PyramidFirstToken(q, m, p, random, fuzzy: null, outerAgainstTrueRow: true)), 0, Critical);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Fuzzy_mode_outer_stage_verified_against_the_true_inner_distribution_emits_the_target_distribution(int seed)
    {
        var (q, m, p) = Triple(seed);
        var threshold = FuzzyAcceptance.TotalVariation(q, m) + 0.01; // relaxed at this position
        Assert.InRange(ChiSquareOf(p, random => PyramidFirstToken(q, m, p, random, threshold, outerAgainstTrueRow: true)), 0, Critical);
    }

    [Fact]
    public void Resampling_from_the_target_instead_of_the_residual_is_caught()
    {
        var (q, _, p) = Triple(1);
        Assert.True(ChiSquareOf(p, random => TwoTierFirstToken(q, p, random, broken: true)) > Critical);
    }

    [Fact]
    public void Verifying_fuzzy_output_against_the_qualifier_instead_of_its_true_distribution_is_caught()
    {
        var (q, m, p) = Triple(1);
        var threshold = FuzzyAcceptance.TotalVariation(q, m) + 0.01;
        Assert.True(ChiSquareOf(p, random => PyramidFirstToken(q, m, p, random, threshold, outerAgainstTrueRow: false)) > Critical);
    }

    [Fact]
    public void Two_tokens_of_a_context_dependent_model_follow_the_targets_joint_distribution()
    {
        const int V = 6;
        var random = new Random(21);
        // [previous token + 1, V]: row 0 is the distribution after the prompt.
        float[][] Model() => Enumerable.Range(0, V + 1).Select(_ => Distributions.Random(random, V)).ToArray();
        var (q, m, p) = (Model(), Model(), Model());
        var expected = new double[V * V];
        for (var a = 0; a < V; a++)
        {
            for (var b = 0; b < V; b++)
            {
                expected[(a * V) + b] = p[0][a] * p[a + 1][b];
            }
        }
        var counts = new int[V * V];
        for (var trial = 0; trial < Trials; trial++)
        {
            var (first, second) = PyramidTwoTokens(q, m, p, V, new RequestRandom((ulong)trial));
            counts[(first * V) + second]++;
        }
        // 35 degrees of freedom, p = 0.001: 66.6.
        Assert.InRange(Distributions.ChiSquare(counts, expected), 0, 70);
    }

    /// <summary>One pyramid round with γ₁ = 2 drafts and γ₂ = 2 qualified tokens on a model whose rows depend on the previous token.</summary>
    private static (int, int) PyramidTwoTokens(float[][] q, float[][] m, float[][] p, int v, RequestRandom random)
    {
        // Draft two tokens autoregressively.
        var x0 = random.SampleFrom(q[0]);
        var x1 = random.SampleFrom(q[x0 + 1]);
        var inner = SpeculativeSampling.Verify([x0, x1], Distributions.Rows(q[0], q[x0 + 1]), Distributions.Rows(m[0], m[x0 + 1], m[x1 + 1]), v, random);
        var qualified = new[] { x0, x1 }.Take(inner.AcceptedCount).Append(inner.NextToken).Take(2).ToArray();
        if (qualified.Length < 2)
        {
            // The first draft was rejected: one qualified token so far; one more inner round with one draft.
            var y = random.SampleFrom(q[qualified[0] + 1]);
            var more = SpeculativeSampling.Verify([y], q[qualified[0] + 1], Distributions.Rows(m[qualified[0] + 1], m[y + 1]), v, random);
            qualified = [qualified[0], more.AcceptedCount == 1 ? y : more.NextToken];
        }
        var outer = SpeculativeSampling.Verify(
            qualified, Distributions.Rows(m[0], m[qualified[0] + 1]), Distributions.Rows(p[0], p[qualified[0] + 1], p[qualified[1] + 1]), v, random);
        var emitted = qualified.Take(outer.AcceptedCount).Append(outer.NextToken).ToArray();
        return (emitted[0], emitted.Length > 1 ? emitted[1] : random.SampleFrom(p[emitted[0] + 1]));
    }

    private static int TwoTierFirstToken(float[] q, float[] p, RequestRandom random, bool broken)
    {
        var x = random.SampleFrom(q);
        if (!broken)
        {
            var outcome = SpeculativeSampling.Verify([x], q, Distributions.Rows(p, p), Vocabulary, random);
            return outcome.AcceptedCount == 1 ? x : outcome.NextToken;
        }
        return SpeculativeSampling.Accepts(x, q, p, random) ? x : random.SampleFrom(p);
    }

    private static int PyramidFirstToken(float[] q, float[] m, float[] p, RequestRandom random, double? fuzzy, bool outerAgainstTrueRow)
    {
        var x = random.SampleFrom(q);
        int qualified;
        float[] trueRow;
        if (fuzzy is { } threshold)
        {
            var inner = FuzzyAcceptance.Verify([x], q, Distributions.Rows(m, m), Vocabulary, threshold, random);
            var relaxed = inner.Outcome.AcceptedCount == 1 && inner.Relaxed[0];
            qualified = inner.Outcome.AcceptedCount == 1 ? x : inner.Outcome.NextToken;
            trueRow = relaxed ? q : m;
        }
        else
        {
            var inner = SpeculativeSampling.Verify([x], q, Distributions.Rows(m, m), Vocabulary, random);
            qualified = inner.AcceptedCount == 1 ? x : inner.NextToken;
            trueRow = m;
        }
        var outer = SpeculativeSampling.Verify([qualified], outerAgainstTrueRow ? trueRow : m, Distributions.Rows(p, p), Vocabulary, random);
        return outer.AcceptedCount == 1 ? qualified : outer.NextToken;
    }

    private static (float[] Q, float[] M, float[] P) Triple(int seed)
    {
        var random = new Random(seed);
        return (Distributions.Random(random, Vocabulary), Distributions.Random(random, Vocabulary), Distributions.Random(random, Vocabulary));
    }

    private static double ChiSquareOf(float[] p, Func<RequestRandom, int> draw)
    {
        var counts = new int[Vocabulary];
        for (var trial = 0; trial < Trials; trial++)
        {
            counts[draw(new RequestRandom((ulong)trial * 7919))]++;
        }
        return Distributions.ChiSquare(counts, p.Select(x => (double)x).ToArray());
    }
}
