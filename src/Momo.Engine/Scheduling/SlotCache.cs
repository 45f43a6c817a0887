using Momo.Engine.Runtime;

namespace Momo.Engine.Scheduling;

/// <summary>
/// The sequence slots, and the KV each free slot still holds from its last request. A new request takes the free
/// slot whose cached tokens share the longest prefix with its prompt (a system prompt, an earlier turn of the same
/// conversation), so that prefix is not computed again in any tier — llama-server's slot prompt cache, applied to
/// all three tiers. Cached KV is evicted first when memory runs short.
/// </summary>
internal sealed class SlotCache(TierSet tiers, int slots)
{
    private readonly Slot[] _slots = Enumerable.Range(0, slots).Select(i => new Slot(i)).ToArray();
    private long _clock;

    /// <summary>Whether a slot is free.</summary>
    public bool HasFree => _slots.Any(s => s.Free);

    /// <summary>
    /// Takes the free slot that best matches <paramref name="prompt"/> and returns the KV length it starts with per tier
    /// (never the last prompt token, whose logits the first decode needs). The prefix comes from the slot's own cache,
    /// or, when a running sequence shares a longer prefix (concurrent users of one system prompt), from that sequence's
    /// KV, shared cell by cell rather than computed again.
    /// </summary>
    public (int Slot, int[] Kv) Acquire(IReadOnlyList<int> prompt, IReadOnlyList<Sequence> running)
    {
        var best = _slots.Where(s => s.Free)
            .OrderByDescending(s => SharedPrefix(s.Tokens, prompt))
            .ThenBy(s => s.LastUsed) // else the least recently used, keeping fresher caches for later
            .First();
        var limit = prompt.Count - 1;
        var cached = Math.Min(SharedPrefix(best.Tokens, prompt), limit);
        var donor = running.Where(s => !s.Preempted && !s.Finished).MaxBy(s => SharedPrefix(s.Working, prompt));
        var donated = donor is null ? 0 : Math.Min(SharedPrefix(donor.Working, prompt), limit);
        best.Free = false;
        best.Tokens = [];
        return donated > cached ? (best.Index, CopyFrom(donor!, best, donated)) : (best.Index, TrimTo(best, cached));
    }

    private int[] TrimTo(Slot slot, int keep)
    {
        var kv = new int[TierSet.Count];
        for (var t = 0; t < TierSet.Count; t++)
        {
            kv[t] = Math.Min(slot.Kv[t], keep);
            if (slot.Kv[t] > kv[t])
            {
                tiers[(Tier)t]!.Truncate(slot.Index, kv[t]);
            }
        }
        return kv;
    }

    private int[] CopyFrom(Sequence donor, Slot slot, int length)
    {
        TrimTo(slot, 0);
        var kv = new int[TierSet.Count];
        for (var t = 0; t < TierSet.Count; t++)
        {
            // The donor's KV of tier t holds exactly its first Kv[t] working tokens.
            kv[t] = Math.Min(donor.Kv[t], length);
            if (kv[t] > 0)
            {
                tiers[(Tier)t]!.CopyPrefix(donor.Slot, slot.Index, kv[t]);
            }
        }
        return kv;
    }

    /// <summary>Frees the slot of a finished sequence, keeping its committed KV for later prefix matches.</summary>
    public void Release(Sequence sequence)
    {
        var slot = _slots[sequence.Slot];
        var kept = Math.Min(sequence.CommittedLength, sequence.Kv.Max());
        sequence.TruncateKv(tiers, kept); // drop any speculative tail left behind
        slot.Tokens = sequence.Working[..kept].ToArray();
        Array.Copy(sequence.Kv, slot.Kv, TierSet.Count);
        slot.LastUsed = ++_clock;
        slot.Free = true;
    }

    /// <summary>Frees the slot and its KV entirely (a failed request, or prefix reuse turned off).</summary>
    public void ReleaseEmpty(Sequence sequence)
    {
        sequence.TruncateKv(tiers, 0);
        var slot = _slots[sequence.Slot];
        slot.Tokens = [];
        Array.Clear(slot.Kv);
        slot.Free = true;
    }

    /// <summary>Drops every free slot's cached KV; returns whether anything was freed.</summary>
    public bool EvictCached()
    {
        var freed = false;
        foreach (var slot in _slots.Where(s => s.Free && s.Kv.Any(k => k > 0)))
        {
            for (var t = 0; t < TierSet.Count; t++)
            {
                if (slot.Kv[t] > 0)
                {
                    tiers[(Tier)t]!.Truncate(slot.Index, 0);
                    slot.Kv[t] = 0;
                }
            }
            slot.Tokens = [];
            freed = true;
        }
        return freed;
    }

    /// <summary>KV cells held by free slots, per tier (counted in KV usage).</summary>
    public int CachedCells(int tier) => _slots.Where(s => s.Free).Sum(s => s.Kv[tier]);

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

    private sealed class Slot(int index)
    {
        public int Index { get; } = index;
        public bool Free { get; set; } = true;
        public int[] Tokens { get; set; } = [];
        public int[] Kv { get; } = new int[TierSet.Count];
        public long LastUsed { get; set; }

    }
}
