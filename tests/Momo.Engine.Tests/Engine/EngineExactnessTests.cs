using Momo.Engine.Requests;
using Momo.Engine.Runtime;
using Momo.Engine.Sampling;
using Momo.Engine.Speculation;
using Momo.Engine.Tests.Speculation;
using Momo.Grammar;

namespace Momo.Engine.Tests.Engine;

/// <summary>
/// End-to-end exactness of the real engine (batching, rollback, row bookkeeping) with sampling: over many seeded
/// requests, the second and third tokens of pyramid and two-tier generations (the first speculative step) follow the
/// target's joint distribution, computed directly from the fake target's logits.
/// </summary>
public sealed class EngineExactnessTests
{
    private const int V = 6;
    private const int Trials = 12_000;

    [Theory]
    [InlineData(DecodingMode.Pyramid, 2, 2)]
    [InlineData(DecodingMode.Pyramid, 1, 2)]
    [InlineData(DecodingMode.TwoTier, 2, null)]
    public async Task Sampled_tokens_of_the_first_speculative_step_follow_the_target_joint_distribution(DecodingMode mode, int draft, int? qualified)
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
    [InlineData(DecodingMode.TargetOnly)]
    [InlineData(DecodingMode.TwoTier)]
    [InlineData(DecodingMode.Auto)]
    public async Task With_prompt_lookup_sampled_tokens_follow_the_target_joint_distribution(DecodingMode mode)
    {
        // A repetitive prompt: after a first token 2 the suffix "3 2 3 2" occurred before, so lookup proposes "3 2".
        var sampling = new SamplingParameters { Temperature = 1 };
        Assert.InRange(await ChiSquareOfEngine(mode, null, null, sampling, prompt: Repetitive, lookup: true), 0, Critical);
    }

    [Fact]
    public async Task The_lookup_test_fails_when_the_engine_is_wired_with_a_rule_that_resamples_from_the_verifier_on_rejection()
    {
        var sampling = new SamplingParameters { Temperature = 1 };
        Assert.True(await ChiSquareOfEngine(DecodingMode.TargetOnly, null, null, sampling, ResampleFromVerifier, Repetitive, lookup: true) > Critical);
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

    [Theory]
    [InlineData(DecodingMode.Pyramid, 2, 2)]
    [InlineData(DecodingMode.TwoTier, 2, null)]
    [InlineData(DecodingMode.Auto, null, null)]
    public async Task Under_a_grammar_sampled_tokens_follow_the_constrained_target_distribution(DecodingMode mode, int? draft, int? qualified)
    {
        // Only tokens 2, 3 and 5 (and the end, anywhere): the draft and qualifier favour the banned 0 and 4 as often as not.
        var grammar = OutputGrammar.Repeat(OutputGrammar.Choice(OutputGrammar.Literal("t2 "), OutputGrammar.Literal("t3 "), OutputGrammar.Literal("t5 ")), 0, int.MaxValue);
        var sampling = new SamplingParameters { Temperature = 1 };
        Assert.InRange(await ChiSquareOfEngine(mode, draft, qualified, sampling, grammar: grammar, allowed: [1, 2, 3, 5]), 0, Critical);
    }

    // 30 degrees of freedom at p = 0.001: 59.7.
    private const double Critical = 62;

    private static readonly int[] Repetitive = [2, 3, 2, 3, 2, 3];

    private static async Task<double> ChiSquareOfEngine(
        DecodingMode mode, int? draft, int? qualified, SamplingParameters sampling, AcceptanceRule? rule = null,
        int[]? prompt = null, bool? lookup = null, int? draftVocabulary = null, int? qualifierVocabulary = null,
        OutputGrammar? grammar = null, int[]? allowed = null)
    {
        using var harness = EngineHarness.Create(
            vocabulary: V, rule: rule, draftVocabulary: draftVocabulary, qualifierVocabulary: qualifierVocabulary, paddingBias: 5f);
        prompt ??= [2, 3, 4];
        var expected = ExpectedJoint(prompt, sampling, allowed);
        var counts = new int[expected.Length];
        for (var batch = 0; batch < Trials; batch += 64)
        {
            var runs = Enumerable.Range(batch, 64).Select(trial => harness.RunAsync(EngineHarness.Request(
                prompt, mode, maxTokens: 4, draft, qualified, sampling with { Seed = (ulong)trial }, lookup: lookup) with { Grammar = grammar }));
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

    // The first token comes from the target alone (the engine does not speculate before it), so the cells are the second
    // and third tokens, which speculation produces (a proposal and its recovered or bonus token), marginalised over the
    // first. A text that ended before a position reads the end token there.
    private static int Cell(int[] tokens) =>
        (At(tokens, 1) * V) + At(tokens, 2);

    private static int At(int[] tokens, int index) => index < tokens.Length ? tokens[index] : FakeVocabulary.EndOfText;

    private static int[] Tokens(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3).Select(t => int.Parse(t[1..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The target's joint distribution of the second and third tokens after the request's sampling transforms.</summary>
    private static double[] ExpectedJoint(int[] prompt, SamplingParameters sampling, int[]? allowed = null)
    {
        ulong[] mask = allowed is null ? [] : [allowed.Aggregate(0UL, (m, t) => m | (1UL << t))];
        var target = new FakeTierModel("target", V, disagreement: 0);
        var transform = new TokenDistribution(sampling, V);
        double[] Row(int[] context, int[] generated)
        {
            var row = new float[V];
            transform.Compute(LogitsAfter(target, [.. prompt, .. context]), generated, row, mask);
            return Array.ConvertAll(row, p => (double)p);
        }
        const int End = FakeVocabulary.EndOfText;
        var joint = new double[V * V];
        var first = Row([], []);
        for (var a = 0; a < V; a++)
        {
            if (a == End)
            {
                joint[(End * V) + End] += first[a];
                continue;
            }
            var second = Row([a], [a]);
            for (var b = 0; b < V; b++)
            {
                if (b == End)
                {
                    joint[(End * V) + End] += first[a] * second[b];
                    continue;
                }
                var third = Row([a, b], [a, b]);
                for (var c = 0; c < V; c++)
                {
                    joint[(b * V) + c] += first[a] * second[b] * third[c];
                }
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
