using Momo.Engine.Runtime;

namespace Momo.Engine.Scheduling;

/// <summary>
/// The one record of what every tier's KV cache holds: for each slot and tier, how many leading tokens of the slot's
/// token list are cached. Every feed, rollback, copy and release goes through here, so rollback is arithmetic on
/// this table plus one native removal per tier, and the KV usage gauges are a sum over it.
/// </summary>
internal sealed class KvLedger(TierSet tiers, int slots)
{
    private readonly int[,] _cached = new int[slots, TierSet.Count]; // [slot, tier]

    /// <summary>Leading tokens of <paramref name="slot"/> that <paramref name="tier"/> holds.</summary>
    public int Cached(int slot, Tier tier) => _cached[slot, (int)tier];

    /// <summary>The most any tier holds for <paramref name="slot"/>.</summary>
    public int MostCached(int slot) => Math.Max(_cached[slot, 0], Math.Max(_cached[slot, 1], _cached[slot, 2]));

    /// <summary>A successful decode stored positions up to <paramref name="length"/> of <paramref name="slot"/> in <paramref name="tier"/>.</summary>
    public void Stored(int slot, Tier tier, int length)
    {
        if (length < _cached[slot, (int)tier])
        {
            throw new InvalidOperationException($"KV ledger: slot {slot} {tier} cannot shrink to {length} by storing.");
        }
        _cached[slot, (int)tier] = length;
    }

    /// <summary>
    /// A decode into <paramref name="tier"/> failed: drops anything of <paramref name="slot"/> the native cache kept
    /// beyond what the ledger records (llama.cpp may have stored the micro-batches before the failing one).
    /// </summary>
    public void Discard(int slot, Tier tier) => tiers[tier]!.Truncate(slot, _cached[slot, (int)tier]);

    /// <summary>Keeps at most <paramref name="length"/> tokens of <paramref name="slot"/> in every tier.</summary>
    public void Truncate(int slot, int length)
    {
        for (var t = 0; t < TierSet.Count; t++)
        {
            Truncate(slot, (Tier)t, length);
        }
    }

    /// <summary>Keeps at most <paramref name="length"/> tokens of <paramref name="slot"/> in <paramref name="tier"/>.</summary>
    public void Truncate(int slot, Tier tier, int length)
    {
        if (_cached[slot, (int)tier] > length)
        {
            tiers[tier]!.Truncate(slot, length);
            _cached[slot, (int)tier] = length;
        }
    }

    /// <summary>Shares the first <paramref name="length"/> cached tokens of <paramref name="source"/> with the empty <paramref name="destination"/>, per tier.</summary>
    public void SharePrefix(int source, int destination, int length)
    {
        Truncate(destination, 0);
        for (var t = 0; t < TierSet.Count; t++)
        {
            var shared = Math.Min(_cached[source, t], length);
            if (shared > 0)
            {
                tiers[(Tier)t]!.CopyPrefix(source, destination, shared);
                _cached[destination, t] = shared;
            }
        }
    }

    /// <summary>
    /// Copies every tier's KV of <paramref name="slot"/>, whose token list is <paramref name="tokens"/>, into host memory;
    /// the slot keeps its KV.
    /// </summary>
    public PromptCacheEntry Save(int slot, int[] tokens)
    {
        var snapshots = new KvSnapshot?[TierSet.Count];
        var cached = new int[TierSet.Count];
        try
        {
            for (var t = 0; t < TierSet.Count; t++)
            {
                if (_cached[slot, t] > 0 && tiers[(Tier)t] is { } model)
                {
                    snapshots[t] = model.SaveSequence(slot);
                    cached[t] = _cached[slot, t];
                }
            }
        }
        catch
        {
            Array.ForEach(snapshots, s => s?.Dispose());
            throw;
        }
        return new PromptCacheEntry(tokens, snapshots, cached);
    }

    /// <summary>
    /// Writes <paramref name="entry"/>'s KV into <paramref name="slot"/> (emptied first), keeping at most
    /// <paramref name="length"/> tokens in each tier. A tier whose cache has no room for its snapshot keeps nothing:
    /// it computes the prefix instead, which is slower, never wrong.
    /// </summary>
    public void Restore(int slot, PromptCacheEntry entry, int length)
    {
        Truncate(slot, 0);
        for (var t = 0; t < TierSet.Count; t++)
        {
            if (entry.Tiers[t] is { } snapshot && tiers[(Tier)t] is { } model && TryRestore(model, slot, snapshot))
            {
                _cached[slot, t] = entry.Cached[t];
                Truncate(slot, (Tier)t, length);
            }
        }
    }

    private static bool TryRestore(ITierModel model, int slot, KvSnapshot snapshot)
    {
        try
        {
            return model.RestoreSequence(slot, snapshot);
        }
        catch (Exception)
        {
            // Whatever the native side left in the sequence goes: the tier computes the prefix instead.
            model.Truncate(slot, 0);
            return false;
        }
    }

    /// <summary>Leading tokens of <paramref name="slot"/> each tier holds, by tier index.</summary>
    public int[] CachedPerTier(int slot) => [_cached[slot, 0], _cached[slot, 1], _cached[slot, 2]];

    /// <summary>KV cells in use in <paramref name="tier"/>, over all slots (running and cached).</summary>
    public int CellsInUse(Tier tier)
    {
        var sum = 0;
        for (var slot = 0; slot < _cached.GetLength(0); slot++)
        {
            sum += _cached[slot, (int)tier];
        }
        return sum;
    }
}
