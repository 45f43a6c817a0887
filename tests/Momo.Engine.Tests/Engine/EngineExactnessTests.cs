using Momo.Engine.Runtime;
using Momo.Engine.Sampling;
using Momo.Engine.Speculation;
using Momo.Engine.Tests.Speculation;

namespace Momo.Engine.Tests.Engine;

/// <summary>
/// End-to-end exactness of the real engine (batching, rollback, row bookkeeping) with sampling: over many seeded
/// requests, the first two tokens of pyramid and two-tier generations follow the target's joint distribution,
/// computed directly from the fake target's logits.
/// </summary>
public sealed class EngineExactnessTests
{
    private const int V = 6;
    private const int Trials = 12_000;

    [Theory]
    [InlineData(DecodingMode.Pyramid, 2, 2)]
    [InlineData(DecodingMode.Pyramid, 1, 2)]
    [InlineData(DecodingMode.TwoTier, 2, null)]
    public async Task Sampled_first_two_tokens_follow_the_target_joint_distribution(DecodingMode mode, int draft, int? qualified)
    {
        var sampling = new SamplingParameters { Temperature = 1 };
        Assert.InRange(await ChiSquareOfEngine(mode, draft, qualified, sampling), 0, Critical);
    }

    [Theory]
    [InlineData(DecodingMode.Pyramid, 2, 2)]
    [InlineData(DecodingMode.TwoTier, 2, null)]
    public async Task With_top_k_top_p_and_penalties_sampled_tokens_follow_the_transformed_target_distribution(
        DecodingMode mode, int draft, int? qualified)
    {
        var sampling = new SamplingParameters { Temperature = 0.9f, TopK = 4, TopP = 0.9f, PresencePenalty = 0.6f, FrequencyPenalty = 0.4f };
        Assert.InRange(await ChiSquareOfEngine(mode, draft, qualified, sampling), 0, Critical);
    }

    [Theory]
    [InlineData(DecodingMode.Pyramid, 2, 2)]
    [InlineData(DecodingMode.TwoTier, 2, null)]
    public async Task The_same_test_fails_when_the_engine_is_wired_with_a_rule_that_resamples_from_the_verifier_on_rejection(
        DecodingMode mode, int draft, int? qualified)
    {
        var sampling = new SamplingParameters { Temperature = 1 };
        Assert.True(await ChiSquareOfEngine(mode, draft, qualified, sampling, ResampleFromVerifier) > Critical);
    }

    [Theory]
    [InlineData(DecodingMode.Pyramid, 2, 2)]
    [InlineData(DecodingMode.TwoTier, 2, null)]
    public async Task Sampled_tokens_follow_the_target_distribution_when_the_draft_has_favoured_padding_and_the_qualifier_lacks_tokens(
        DecodingMode mode, int draft, int? qualified)
    {
        var sampling = new SamplingParameters { Temperature = 1 };
        Assert.InRange(await ChiSquareOfEngine(mode, draft, qualified, sampling, draftVocabulary: V + 2, qualifierVocabulary: V - 2), 0, Critical);
    }

    // 30 degrees of freedom at p = 0.001: 59.7.
    private const double Critical = 62;

    private static async Task<double> ChiSquareOfEngine(
        DecodingMode mode, int draft, int? qualified, SamplingParameters sampling, AcceptanceRule? rule = null,
        int? draftVocabulary = null, int? qualifierVocabulary = null)
    {
        using var harness = EngineHarness.Create(
            vocabulary: V, rule: rule, draftVocabulary: draftVocabulary, qualifierVocabulary: qualifierVocabulary, paddingBias: 5f);
        int[] prompt = [2, 3, 4];
        var expected = ExpectedJoint(prompt, sampling);
        var counts = new int[expected.Length];
        for (var batch = 0; batch < Trials; batch += 64)
        {
            var runs = Enumerable.Range(batch, 64).Select(trial => harness.RunAsync(EngineHarness.Request(
                prompt, mode, maxTokens: 3, draft, qualified, sampling with { Seed = (ulong)trial })));
            foreach (var (text, _) in await Task.WhenAll(runs))
            {
                counts[Cell(Tokens(text))]++;
            }
        }
        return Distributions.ChiSquare(counts, expected);
    }

    /// <summary>A classic mistake: on a rejection, draw from the verifier's own row instead of the residual.</summary>
    private static VerifyOutcome ResampleFromVerifier(
        ReadOnlySpan<int> proposed, ReadOnlySpan<float> proposal, ReadOnlySpan<float> verifier, int vocabulary, RequestRandom random)
    {
        var exact = SpeculativeSampling.Verify(proposed, proposal, verifier, vocabulary, random);
        return exact.NextIsBonus
            ? exact
            : exact with { NextToken = random.SampleFrom(verifier.Slice(exact.AcceptedCount * vocabulary, vocabulary)) };
    }

    /// <summary>Cells: first * V + second for two tokens; the end token first ends the text, cell EndOfText * V.</summary>
    private static int Cell(int[] tokens) =>
        tokens.Length == 0 ? FakeVocabulary.EndOfText * V : (tokens[0] * V) + (tokens.Length > 1 ? tokens[1] : FakeVocabulary.EndOfText);

    private static int[] Tokens(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).Select(t => int.Parse(t[1..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The target's joint distribution of the first two tokens after the request's sampling transforms.</summary>
    private static double[] ExpectedJoint(int[] prompt, SamplingParameters sampling)
    {
        var target = new FakeTierModel("target", V, disagreement: 0);
        var transform = new TokenDistribution(sampling, V);
        double[] Row(int[] context, int[] generated)
        {
            var row = new float[V];
            transform.Compute(LogitsAfter(target, context), generated, row);
            return Array.ConvertAll(row, p => (double)p);
        }
        var first = Row(prompt, []);
        var joint = new double[V * V];
        for (var a = 0; a < V; a++)
        {
            if (a == FakeVocabulary.EndOfText)
            {
                joint[a * V] += first[a]; // generation ends: no second token
                continue;
            }
            var second = Row([.. prompt, a], [a]);
            for (var b = 0; b < V; b++)
            {
                // The end token as second token leaves only one token of text: its cell is (a, end).
                joint[(a * V) + b] += first[a] * second[b];
            }
        }
        return joint;
    }

    private static float[] LogitsAfter(FakeTierModel model, int[] tokens)
    {
        model.Truncate(0, 0);
        var batch = new DecodeBatch();
        var handle = batch.AddRange(tokens, 0, 0, logitsForLast: 1);
        model.Decode(batch);
        return model.Logits(handle).ToArray();
    }
}
