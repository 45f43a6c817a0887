using Momo.Engine.Runtime;
using Momo.Engine.Sampling;
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
        using var harness = EngineHarness.Create(vocabulary: V);
        int[] prompt = [2, 3, 4];
        var expected = ExpectedJoint(prompt);
        var counts = new int[expected.Length];
        for (var batch = 0; batch < Trials; batch += 64)
        {
            var runs = Enumerable.Range(batch, 64).Select(trial => harness.RunAsync(EngineHarness.Request(
                prompt, mode, maxTokens: 3, draft, qualified, new SamplingParameters { Temperature = 1, Seed = (ulong)trial })));
            foreach (var (text, _) in await Task.WhenAll(runs))
            {
                counts[Cell(Tokens(text))]++;
            }
        }
        // 30 degrees of freedom at p = 0.001: 59.7.
        Assert.InRange(Distributions.ChiSquare(counts, expected), 0, 62);
    }

    /// <summary>Cells: first * V + second for two tokens; the end token first ends the text, cell EndOfText * V.</summary>
    private static int Cell(int[] tokens) =>
        tokens.Length == 0 ? FakeVocabulary.EndOfText * V : (tokens[0] * V) + (tokens.Length > 1 ? tokens[1] : FakeVocabulary.EndOfText);

    private static int[] Tokens(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).Select(t => int.Parse(t[1..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static double[] ExpectedJoint(int[] prompt)
    {
        var target = new FakeTierModel("target", V, disagreement: 0);
        var first = Softmax(LogitsAfter(target, prompt));
        var joint = new double[V * V];
        for (var a = 0; a < V; a++)
        {
            if (a == FakeVocabulary.EndOfText)
            {
                joint[a * V] += first[a]; // generation ends: no second token
                continue;
            }
            var second = Softmax(LogitsAfter(target, [.. prompt, a]));
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

    private static double[] Softmax(float[] logits)
    {
        var max = logits.Max();
        var e = logits.Select(l => Math.Exp(l - max)).ToArray();
        return e.Select(x => x / e.Sum()).ToArray();
    }
}
