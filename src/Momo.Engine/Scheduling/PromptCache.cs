using Momo.Engine.Runtime;

namespace Momo.Engine.Scheduling;

/// <summary>
/// The host-memory prompt cache (llama-server's <c>--cache-ram</c>, for all three tiers): when a free slot's cached KV
/// is about to be dropped (another request takes the slot, or KV memory runs short), the slot's KV is copied here, so
/// a conversation that lost its slot to others finds its prefix again on its next turn. Holds at most
/// <paramref name="limitBytes"/> (0 turns it off); the least recently used entries are dropped first, and an entry
/// whose tokens another entry extends is dropped as soon as that one is saved (a conversation keeps one entry, its
/// latest turn). Engine thread only.
/// </summary>
internal sealed class PromptCache(long limitBytes) : IDisposable
{
    private readonly List<PromptCacheEntry> _entries = [];
    private long _clock;

    /// <summary>Whether entries are kept at all.</summary>
    public bool Enabled => limitBytes > 0;

    /// <summary>Host memory the entries take.</summary>
    public long Bytes { get; private set; }

    /// <summary>Entries held.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// The entry whose target snapshot shares the longest prefix with <paramref name="prompt"/>, and that length
    /// (the most recently used entry among equals); (null, 0) when none shares a token.
    /// </summary>
    public (PromptCacheEntry? Entry, int Shared) Find(IReadOnlyList<int> prompt)
    {
        PromptCacheEntry? best = null;
        var bestShared = 0;
        foreach (var entry in _entries)
        {
            var shared = Math.Min(SharedPrefix(entry.Tokens.Span, prompt), entry.Cached[(int)Tier.Target]);
            if (shared > bestShared || (shared == bestShared && shared > 0 && entry.LastUsed > best!.LastUsed))
            {
                (best, bestShared) = (entry, shared);
            }
        }
        return (best, bestShared);
    }

    /// <summary>Whether an entry already holds <paramref name="tokens"/> with <paramref name="cached"/> tokens per tier.</summary>
    public bool Covers(ReadOnlySpan<int> tokens, int[] cached)
    {
        foreach (var entry in _entries)
        {
            if (entry.Covers(tokens, cached))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Marks <paramref name="entry"/> used now (it was restored), so it is evicted last.</summary>
    public void Touch(PromptCacheEntry entry) => entry.LastUsed = ++_clock;

    /// <summary>
    /// Keeps <paramref name="entry"/> (the cache owns it from now on), dropping the entries it covers, then the least
    /// recently used ones until everything fits the limit. An entry larger than the whole limit is not kept.
    /// </summary>
    public void Add(PromptCacheEntry entry)
    {
        if (entry.Bytes > limitBytes)
        {
            entry.Dispose();
            return;
        }
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (entry.Covers(_entries[i].Tokens.Span, _entries[i].Cached))
            {
                Remove(i);
            }
        }
        while (Bytes + entry.Bytes > limitBytes)
        {
            var oldest = 0;
            for (var i = 1; i < _entries.Count; i++)
            {
                oldest = _entries[i].LastUsed < _entries[oldest].LastUsed ? i : oldest;
            }
            Remove(oldest);
        }
        entry.LastUsed = ++_clock;
        _entries.Add(entry);
        Bytes += entry.Bytes;
    }

    /// <summary>Drops every entry.</summary>
    public void Dispose()
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            Remove(i);
        }
    }

    private void Remove(int index)
    {
        var entry = _entries[index];
        _entries.RemoveAt(index);
        Bytes -= entry.Bytes;
        entry.Dispose();
    }

    private static int SharedPrefix(ReadOnlySpan<int> tokens, IReadOnlyList<int> prompt)
    {
        var limit = Math.Min(tokens.Length, prompt.Count);
        var n = 0;
        while (n < limit && tokens[n] == prompt[n])
        {
            n++;
        }
        return n;
    }
}
