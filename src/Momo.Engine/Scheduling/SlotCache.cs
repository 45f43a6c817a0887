using System.Diagnostics.CodeAnalysis;
using Momo.Engine.Sequences;

namespace Momo.Engine.Scheduling;

/// <summary>
/// The sequence slots, and the tokens each free slot's KV still holds from its last request. A new request starts from
/// the longest prefix of its prompt that is cached anywhere — a free slot's KV (a system prompt, an earlier turn of the
/// same conversation), a running sequence's KV (shared cell by cell), or the host-memory <see cref="PromptCache"/> —
/// so that prefix is not computed again in any tier: llama-server's slot and RAM prompt caches, applied to all three
/// tiers. A slot's KV is copied to the host cache before it is dropped, so more conversations than slots keep their
/// prefixes. Cached KV is evicted first when memory runs short. How much each tier holds is the ledger's.
/// </summary>
internal sealed class SlotCache(KvLedger ledger, PromptCache host, int slots)
{
    private readonly Slot[] _slots = Enumerable.Range(0, slots).Select(i => new Slot(i)).ToArray();
    private long _clock;

    /// <summary>Whether a slot is free.</summary>
    public bool HasFree => _slots.Any(s => s.Free);

    /// <summary>
    /// Takes a free slot for <paramref name="prompt"/> and returns it with the prompt tokens it starts with cached in the
    /// target (never the last prompt token, whose logits the first decode needs) and where they came from. A free slot
    /// whose cache extends the prompt's prefix is continued in place; if it holds more (another conversation that only
    /// shares the system prompt) and an empty slot is free, the prefix's cells are shared into that one instead, so
    /// the other conversation stays whole. Otherwise the empty or least recently used slot is taken.
    /// </summary>
    public (int Slot, int CachedPromptTokens, PrefixSource Source) Acquire(IReadOnlyList<int> prompt, IReadOnlyList<Sequence> running)
    {
        var limit = prompt.Count - 1;
        var own = _slots.Where(s => s.Free)
            .OrderByDescending(s => SharedPrefix(s.Tokens, prompt))
            .ThenBy(s => s.LastUsed)
            .First();
        var ownShared = Math.Min(SharedPrefix(own.Tokens, prompt), limit);
        var donor = running.Where(s => s.State == SequenceState.Running).MaxBy(s => SharedPrefix(s.Tokens.Working, prompt));
        var donated = donor is null ? 0 : Math.Min(SharedPrefix(donor.Tokens.Working, prompt), limit);
        var (entry, stored) = host.Enabled ? host.Find(prompt) : (null, 0);
        stored = Math.Min(stored, limit);

        Slot? taken = null;
        try
        {
            var source = Share(own, ownShared, donor, donated, entry, stored, ref taken);
            var cached = ledger.Cached(taken!.Index, Runtime.Tier.Target);
            return (taken.Index, cached, cached > 0 ? source : PrefixSource.None);
        }
        catch
        {
            // A native copy or restore failed: the slot goes back empty and the request fails, nothing else.
            if (taken is not null)
            {
                Abandon(taken);
            }
            throw;
        }
    }

    /// <summary>Takes the slot for the prompt (into <paramref name="taken"/>) and fills it from the best cached prefix; returns where that came from.</summary>
    private PrefixSource Share(Slot own, int ownShared, Sequence? donor, int donated, PromptCacheEntry? entry, int stored, ref Slot? taken)
    {
        var source = PrefixSource.None;
        if (ownShared > 0 && ownShared >= donated && ownShared >= stored)
        {
            source = PrefixSource.Slot;
            if (ownShared < own.Tokens.Length && Empty(except: own) is { } empty)
            {
                taken = Take(empty, keep: 0);
                ledger.SharePrefix(own.Index, empty.Index, ownShared);
            }
            else
            {
                taken = Take(own, keep: ownShared);
            }
        }
        else
        {
            taken = Take(Empty(except: null) ?? _slots.Where(s => s.Free).MinBy(s => s.LastUsed)!, keep: 0);
            if (donated > 0 && donated >= stored)
            {
                source = PrefixSource.Running;
                // The donor's KV of each tier holds exactly its first Cached(tier) working tokens.
                ledger.SharePrefix(donor!.Slot, taken.Index, donated);
            }
            else if (stored > 0)
            {
                source = PrefixSource.Host;
                ledger.Restore(taken.Index, entry!, stored);
                host.Touch(entry!);
            }
        }
        return source;
    }

    /// <summary>Frees the slot of a finished sequence, keeping its committed KV for later prefix matches.</summary>
    public void Release(Sequence sequence)
    {
        var slot = _slots[sequence.Slot];
        var kept = Math.Min(sequence.Tokens.CommittedLength, ledger.MostCached(slot.Index));
        ledger.Truncate(slot.Index, kept); // drop any speculative tail left behind
        slot.Tokens = sequence.Tokens.Working[..kept].ToArray();
        slot.LastUsed = ++_clock;
        slot.Free = true;
    }

    /// <summary>Frees the slot and its KV entirely (a failed request, or prefix reuse turned off).</summary>
    public void ReleaseEmpty(int index)
    {
        var slot = _slots[index];
        slot.Tokens = [];
        slot.Free = true;
        ledger.Truncate(index, 0);
    }

    /// <summary>
    /// Copies a busy slot's KV, whose tokens are <paramref name="tokens"/>, to the host cache where it fits (a preempted
    /// sequence's), unless an entry there already holds it. Only an optimisation: a failure costs a recomputation later.
    /// </summary>
    public void SaveToHost(int index, int[] tokens)
    {
        if (host.Enabled && tokens.Length > 0 && !host.Covers(tokens, ledger.CachedPerTier(index)))
        {
            TrySave(index, tokens);
        }
    }

    /// <summary>
    /// Writes into the busy slot <paramref name="index"/> (holding no KV) the longest prefix of <paramref name="tokens"/>
    /// that the host cache holds, never the last token (the next decode feeds it); returns how many tokens the target holds then.
    /// </summary>
    public int RestoreFromHost(int index, int[] tokens)
    {
        var (entry, stored) = host.Enabled ? host.Find(tokens) : (null, 0);
        stored = Math.Min(stored, tokens.Length - 1);
        if (entry is null || stored <= 0)
        {
            return 0;
        }
        ledger.Restore(index, entry, stored);
        host.Touch(entry);
        return ledger.Cached(index, Runtime.Tier.Target);
    }

    /// <summary>Gives a slot whose filling failed back empty; its KV may be in any state, so every tier drops it.</summary>
    private void Abandon(Slot slot)
    {
        slot.Tokens = [];
        slot.Free = true;
        try
        {
            ledger.Truncate(slot.Index, 0);
        }
        catch (Exception)
        {
            // The failure that brought us here is the one to report.
        }
    }

    /// <summary>Drops every free slot's cached KV (saved to the host cache first); returns whether anything was freed.</summary>
    public bool EvictCached()
    {
        var freed = false;
        foreach (var slot in _slots.Where(s => s.Free && ledger.MostCached(s.Index) > 0))
        {
            Drop(slot, keep: 0);
            freed = true;
        }
        return freed;
    }

    /// <summary>Marks <paramref name="slot"/> busy, keeping the first <paramref name="keep"/> tokens of its cache.</summary>
    private Slot Take(Slot slot, int keep)
    {
        Drop(slot, keep);
        slot.Free = false;
        slot.Tokens = []; // a busy slot's tokens are its sequence's; Release records them
        return slot;
    }

    /// <summary>
    /// Keeps the first <paramref name="keep"/> tokens of a free slot's cache; when that drops tokens, the whole cache is
    /// first copied to the host cache, unless an entry there already holds it.
    /// </summary>
    private void Drop(Slot slot, int keep)
    {
        if (host.Enabled && slot.Tokens.Length > keep && !host.Covers(slot.Tokens, ledger.CachedPerTier(slot.Index)))
        {
            TrySave(slot.Index, slot.Tokens);
        }
        ledger.Truncate(slot.Index, keep);
        slot.Tokens = slot.Tokens.Length > keep ? slot.Tokens[..keep] : slot.Tokens;
    }

    private void TrySave(int index, int[] tokens)
    {
        try
        {
            host.Add(ledger.Save(index, tokens));
        }
        catch (Exception)
        {
            // The copy is only an optimisation (host memory may have run out): without it the prefix is computed
            // again later. This runs on the engine thread, which must never die.
        }
    }

    /// <summary>A free slot that caches nothing, other than <paramref name="except"/>.</summary>
    private Slot? Empty(Slot? except) => _slots.FirstOrDefault(s => s.Free && s != except && ledger.MostCached(s.Index) == 0);

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
        [SuppressMessage("Performance", "CA1819", Justification = "Private to SlotCache: the array is replaced whole, never changed in place, and never leaves this class.")]
        public int[] Tokens { get; set; } = [];
        public long LastUsed { get; set; }
    }
}
