using System.Text;
using Momo.Engine.Runtime;
using Momo.Testing;

namespace Momo.Server.Tests;

/// <summary>
/// Greedy continuations of the tiny family's target computed here, independently of the server: a plain one-token-
/// at-a-time loop. Wherever the target's two best logits are closer than <see cref="Epsilon"/>, batch-shape rounding
/// may legitimately flip the choice (DESIGN.md section 5), so only the text before that point is "reliable".
/// </summary>
internal static class GreedyReference
{
    public const float Epsilon = 0.05f;

    private static readonly Lazy<LlamaTierModel> Target = new(() => LlamaTierModel.Load(
        new TierLoadOptions("reference", TestFamilies.Tiny.TargetPath, 0, KvCells: 1024, MaxSequences: 1, Threads: 2, BatchTokens: 1024)));
    private static readonly Lock Gate = new();

    /// <summary>
    /// The reference for a raw completion prompt (tokenized as /v1/completions does). With <paramref name="banEnd"/>
    /// the end-of-turn token is never chosen, as with <c>logit_bias {EndOfTurnToken: -100}</c>, so the text runs to length.
    /// </summary>
    public static Continuation ForPrompt(string prompt, int maxTokens, bool banEnd = false)
    {
        lock (Gate)
        {
            return Continue(Target.Value.Vocabulary.Tokenize(prompt, addBos: true, parseSpecial: false), maxTokens, banEnd);
        }
    }

    /// <summary>The reference for a chat (rendered and tokenized as /v1/chat/completions does).</summary>
    public static Continuation ForChat(IEnumerable<(string Role, string Content)> messages, int maxTokens)
    {
        lock (Gate)
        {
            var prompt = Target.Value.Vocabulary.RenderChat(messages);
            return Continue(Target.Value.Vocabulary.Tokenize(prompt, addBos: true, parseSpecial: true), maxTokens, banEnd: false);
        }
    }

    private static Continuation Continue(int[] tokens, int maxTokens, bool banEnd)
    {
        var target = Target.Value;
        var text = new List<byte>();
        int? reliableBytes = null;
        var reliableTokens = maxTokens;
        var batch = new DecodeBatch();
        var handle = batch.AddRange(tokens, 0, 0, logitsForLast: 1);
        for (var step = 0; step < maxTokens; step++)
        {
            target.Decode(batch);
            var logits = target.Logits(handle).ToArray();
            if (banEnd)
            {
                logits[TestFamilies.EndOfTurnToken] -= 100;
            }
            var (best, margin) = TopTwo(logits);
            if (margin < Epsilon && reliableBytes is null)
            {
                (reliableBytes, reliableTokens) = (text.Count, step);
            }
            if (target.Vocabulary.IsEndOfGeneration(best))
            {
                break;
            }
            text.AddRange(target.Vocabulary.Piece(best).ToArray());
            batch.Clear();
            handle = batch.Add(best, tokens.Length + step, 0, wantLogits: true);
        }
        target.Truncate(0, 0);
        var bytes = text.ToArray();
        return new Continuation(
            Encoding.UTF8.GetString(bytes),
            Encoding.UTF8.GetString(bytes, 0, reliableBytes ?? bytes.Length).Length,
            reliableTokens);
    }

    private static (int Best, float Margin) TopTwo(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }
        var second = float.NegativeInfinity;
        for (var i = 0; i < logits.Length; i++)
        {
            if (i != best && logits[i] > second)
            {
                second = logits[i];
            }
        }
        return (best, logits[best] - second);
    }
}

/// <summary>A reference continuation: its text, how many leading characters are beyond numerical doubt, and how many tokens.</summary>
internal sealed record Continuation(string Text, int ReliableChars, int ReliableTokens)
{
    /// <summary>Asserts that <paramref name="actual"/> agrees with the reference over its reliable part.</summary>
    public void AssertMatches(string actual, string what)
    {
        Assert.True(actual.Length >= ReliableChars, $"{what}: output '{actual}' is shorter than the reliable reference '{Text[..ReliableChars]}'");
        Assert.Equal(Text[..ReliableChars], actual[..ReliableChars]);
    }
}
