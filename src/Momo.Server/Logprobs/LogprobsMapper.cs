using System.Text;
using Momo.Engine.Runtime;
using Momo.Server.Contracts;

namespace Momo.Server.Logprobs;

/// <summary>Writes released log-probabilities in each endpoint's shape (OpenAI's chat and legacy completions).</summary>
internal static class LogprobsMapper
{
    // OpenAI writes −9999 for a probability that underflows; JSON has no −∞.
    private const float Floor = -9999f;
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public static ChatLogprobs ToChat(IReadOnlyList<ReleasedLogprob> released, ITokenText vocabulary) =>
        new([.. released.Select(r => new ChatTokenLogprob(
            Text(vocabulary, r.Entry.Token), Finite(r.Entry.Logprob), Bytes(vocabulary, r.Entry.Token),
            [.. r.Entry.Top.Select(a => new ChatTopLogprob(Text(vocabulary, a.Token), Finite(a.Logprob), Bytes(vocabulary, a.Token)))]))]);

    /// <summary>
    /// The legacy shape. As OpenAI documents, each <c>top_logprobs</c> map also holds the emitted token, so it may have
    /// one entry more than asked for.
    /// </summary>
    public static CompletionLogprobs ToCompletion(IReadOnlyList<ReleasedLogprob> released, ITokenText vocabulary)
    {
        var tops = new List<Dictionary<string, float>>(released.Count);
        foreach (var (entry, _) in released)
        {
            var top = new Dictionary<string, float>();
            foreach (var alternative in entry.Top)
            {
                top.TryAdd(Text(vocabulary, alternative.Token), Finite(alternative.Logprob));
            }
            if (entry.Top.Count > 0)
            {
                top.TryAdd(Text(vocabulary, entry.Token), Finite(entry.Logprob));
            }
            tops.Add(top);
        }
        return new CompletionLogprobs(
            [.. released.Select(r => Text(vocabulary, r.Entry.Token))],
            [.. released.Select(r => Finite(r.Entry.Logprob))],
            tops,
            [.. released.Select(r => r.TextOffset)]);
    }

    /// <summary>
    /// A token's text: its piece when that is valid UTF-8, else OpenAI's <c>bytes:\xNN…</c> notation (a byte-fallback
    /// token holds part of a character; <c>bytes</c> carries it exactly either way).
    /// </summary>
    private static string Text(ITokenText vocabulary, int token)
    {
        var piece = vocabulary.Piece(token);
        try
        {
            return StrictUtf8.GetString(piece);
        }
        catch (DecoderFallbackException)
        {
            var text = new StringBuilder("bytes:");
            foreach (var b in piece)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
            return text.ToString();
        }
    }

    private static int[] Bytes(ITokenText vocabulary, int token)
    {
        var piece = vocabulary.Piece(token);
        var bytes = new int[piece.Length];
        for (var i = 0; i < piece.Length; i++)
        {
            bytes[i] = piece[i];
        }
        return bytes;
    }

    private static float Finite(float logprob) => float.IsFinite(logprob) ? Math.Max(logprob, Floor) : Floor;
}
