namespace Momo.Engine.Scheduling;

/// <summary>
/// The sequence slots, and the tokens each free slot's KV still holds from its last request. A new request takes the
/// free slot whose cached tokens share the longest prefix with its prompt (a system prompt, an earlier turn of the
/// same conversation), so that prefix is not computed again in any tier — llama-server's slot prompt cache, applied to
/// all three tiers. Cached KV is evicted first when memory runs short. How much each tier holds is the ledger's.
/// </summary>
internal sealed class SlotCache(KvLedger ledger, int slots)
{
    private readonly Slot[] _slots = Enumerable.Range(0, slots).Select(i => new Slot(i)).ToArray();
    private long _clock;

    /// <summary>Whether a slot is free.</summary>
    public bool HasFree => _slots.Any(s => s.Free);

    /// <summary>
    /// Takes the free slot that best matches <paramref name="prompt"/> and returns the prompt tokens it starts with
    /// cached in the target (never the last prompt token, whose logits the first decode needs). The prefix comes from
    /// the slot's own cache, or, when a running sequence shares a longer prefix (concurrent users of one system prompt),
    /// from that sequence's KV, shared cell by cell rather than computed again.
    /// </summary>
    public (int Slot, int CachedPromptTokens) Acquire(IReadOnlyList<int> prompt, IReadOnlyList<Sequence> running)
    {
        var best = _slots.Where(s => s.Free)
            .OrderByDescending(s => SharedPrefix(s.Tokens, prompt))
            .ThenBy(s => s.LastUsed) // else the least recently used, keeping fresher caches for later
            .First();
        var limit = prompt.Count - 1;
        var cached = Math.Min(SharedPrefix(best.Tokens, prompt), limit);
        var donor = running.Where(s => s.State == SequenceState.Running).MaxBy(s => SharedPrefix(s.Working, prompt));
        var donated = donor is null ? 0 : Math.Min(SharedPrefix(donor.Working, prompt), limit);
        best.Free = false;
        best.Tokens = [];
        if (donated > cached)
        {
            // The donor's KV of each tier holds exactly its first Cached(tier) working tokens.
            ledger.SharePrefix(donor!.Slot, best.Index, donated);
        }
        else
        {
            ledger.Truncate(best.Index, cached);
        }
        return (best.Index, ledger.Cached(best.Index, Runtime.Tier.Target));
    }

    /// <summary>Frees the slot of a finished sequence, keeping its committed KV for later prefix matches.</summary>
    public void Release(Sequence sequence)
    {
        var slot = _slots[sequence.Slot];
        var kept = Math.Min(sequence.CommittedLength, ledger.MostCached(slot.Index));
        ledger.Truncate(slot.Index, kept); // drop any speculative tail left behind
        slot.Tokens = sequence.Working[..kept].ToArray();
        slot.LastUsed = ++_clock;
        slot.Free = true;
    }

    /// <summary>Frees the slot and its KV entirely (a failed request, or prefix reuse turned off).</summary>
    public void ReleaseEmpty(Sequence sequence)
    {
        ledger.Truncate(sequence.Slot, 0);
        var slot = _slots[sequence.Slot];
        slot.Tokens = [];
        slot.Free = true;
    }

    /// <summary>Drops every free slot's cached KV; returns whether anything was freed.</summary>
    public bool EvictCached()
    {
        var freed = false;
        foreach (var slot in _slots.Where(s => s.Free && ledger.MostCached(s.Index) > 0))
        {
            ledger.Truncate(slot.Index, 0);
            slot.Tokens = [];
            freed = true;
        }
        return freed;
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

    private sealed class Slot(int index)
    {
        public int Index { get; } = index;
        public bool Free { get; set; } = true;
        public int[] Tokens { get; set; } = [];
        public long LastUsed { get; set; }
    }
}
