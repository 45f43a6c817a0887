using System.Globalization;
using Momo.Engine.Runtime;
using Xunit.Abstractions;

namespace Momo.Server.Tests.Demo;

/// <summary>
/// The demo target's greedy choices on the prompts a newcomer tries first must win clearly: where its two best logits
/// are nearly tied, batch-shape rounding (README, Numerics on real models) lets concurrent requests answer differently
/// from the same requests alone.
/// </summary>
public sealed class DemoFamilyMarginTests(ITestOutputHelper output)
{
    /// <summary>Ten times the ε below which the identity tests stop comparing (<see cref="GreedyReference.Epsilon"/>).</summary>
    private const float WideMargin = 10 * GreedyReference.Epsilon;

    private const int MaxTokens = 64;

    [Fact]
    public void The_demo_target_s_greedy_choice_wins_by_a_wide_margin_at_every_position_of_the_shipped_prompts()
    {
        using var target = LlamaTierModel.Load(new TierLoadOptions(
            "demo-target", DemoFamilyFiles.Forged.TargetPath, 0, KvCells: 1024, MaxSequences: 1, Threads: 2, BatchTokens: 1024));
        var prompts = DemoFamilyFiles.ChatQuestions
            .Select(q => (Name: "chat: " + q, Tokens: target.Vocabulary.Tokenize(target.Vocabulary.RenderChat([("user", q)]), addBos: true, parseSpecial: true)))
            .Concat(DemoFamilyFiles.StoryOpenings.Select(s => (Name: "completion: " + s, Tokens: target.Vocabulary.Tokenize(s, addBos: true, parseSpecial: false))));

        var margins = prompts.SelectMany(p => GreedyMargins(target, p.Tokens).Select(m => (Prompt: p.Name, m.Step, m.Margin))).ToList();

        var narrowest = margins.OrderBy(m => m.Margin).First();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{margins.Count} greedy positions; smallest top-2 margin {narrowest.Margin:F4} nats ({narrowest.Prompt}, token {narrowest.Step}); " +
            $"{margins.Count(m => m.Margin < GreedyReference.Epsilon)} under {GreedyReference.Epsilon}, {margins.Count(m => m.Margin < WideMargin)} under {WideMargin}"));
        Assert.True(narrowest.Margin >= WideMargin,
            $"'{narrowest.Prompt}': at greedy token {narrowest.Step} the target's top two logits differ by only {narrowest.Margin:F4}");
    }

    /// <summary>The target's top-1 minus top-2 logit (= logprob) at each greedy step, one token decoded at a time.</summary>
    private static List<(int Step, float Margin)> GreedyMargins(LlamaTierModel target, int[] prompt)
    {
        var margins = new List<(int, float)>();
        var batch = new DecodeBatch();
        var handle = batch.AddRange(prompt, 0, 0, logitsForLast: 1);
        for (var step = 0; step < MaxTokens; step++)
        {
            target.Decode(batch);
            var (best, margin) = TopTwo(target.Logits(handle));
            margins.Add((step, margin));
            if (target.Vocabulary.IsEndOfGeneration(best))
            {
                break;
            }
            batch.Clear();
            handle = batch.Add(best, prompt.Length + step, 0, wantLogits: true);
        }
        target.Truncate(0, 0);
        return margins;
    }

    private static (int Best, float Margin) TopTwo(ReadOnlySpan<float> logits)
    {
        var (best, second) = (logits[0] >= logits[1] ? 0 : 1, logits[0] >= logits[1] ? 1 : 0);
        for (var i = 2; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                (best, second) = (i, best);
            }
            else if (logits[i] > logits[second])
            {
                second = i;
            }
        }
        return (best, logits[best] - logits[second]);
    }
}
