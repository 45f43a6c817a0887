namespace Momo.Engine.Speculation;

/// <summary>
/// Prompt lookup (a free proposer): finds the latest earlier occurrence of the text's longest suffix of
/// <see cref="MinMatch"/>..<see cref="MaxMatch"/> tokens and proposes the tokens that followed it. Agents and editors
/// quote their input at length, so the continuation of a quoted passage is often the passage itself.
/// <para>An index maps each n-gram (n = MinMatch..MaxMatch) to the end of its latest occurrence, extended as the text
/// grows, so a lookup costs O(MaxMatch) hash probes plus the match check, whatever the text's length. Proposals are
/// one-hot distributions: the verifier accepts token x with probability v(x), and the residual is v without x.</para>
/// </summary>
internal sealed class NgramLookup
{
    /// <summary>Shortest suffix that counts as a match.</summary>
    public const int MinMatch = 2;

    /// <summary>Longest suffix tried first.</summary>
    public const int MaxMatch = 4;

    private readonly Dictionary<(int N, ulong Hash), int> _latestEnd = [];
    private int _indexedEnds; // n-grams ending at every position < this are indexed

    /// <summary>
    /// Writes into <paramref name="proposals"/> the continuation of the longest suffix of <paramref name="text"/> that
    /// occurred before, filling it; returns how many tokens were proposed (0 without a match). Where the continuation
    /// reaches the end of the text, it goes on as the match did, into the tokens it has just proposed (an overlapping
    /// copy): text in a loop of p tokens has its latest match one loop back, and the loop's next turn is the guess,
    /// not only its remaining p tokens.
    /// </summary>
    public int Propose(ReadOnlySpan<int> text, Span<int> proposals)
    {
        // Index n-grams ending before the last position only, so the suffix never matches itself and every match
        // has at least one token after it.
        for (; _indexedEnds < text.Length; _indexedEnds++)
        {
            for (var n = MinMatch; n <= MaxMatch && n <= _indexedEnds; n++)
            {
                _latestEnd[(n, Hash(text.Slice(_indexedEnds - n, n)))] = _indexedEnds;
            }
        }
        // The entries just added for the full text end at text.Length - 1 at most: ends < Length hold a continuation.
        for (var n = Math.Min(MaxMatch, text.Length - 1); n >= MinMatch; n--)
        {
            var suffix = text[^n..];
            if (_latestEnd.TryGetValue((n, Hash(suffix)), out var end) && end < text.Length && text.Slice(end - n, n).SequenceEqual(suffix))
            {
                var known = Math.Min(proposals.Length, text.Length - end);
                text.Slice(end, known).CopyTo(proposals);
                for (var i = known; i < proposals.Length; i++)
                {
                    proposals[i] = proposals[i - known];
                }
                return proposals.Length;
            }
        }
        return 0;
    }

    // FNV-1a over the token ids: hash collisions are harmless (every match is checked) but rare.
    private static ulong Hash(ReadOnlySpan<int> tokens)
    {
        var hash = 14695981039346656037UL;
        foreach (var token in tokens)
        {
            hash = (hash ^ (uint)token) * 1099511628211UL;
        }
        return hash;
    }
}
