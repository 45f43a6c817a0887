using Momo.Engine.Runtime;

namespace Momo.Engine.Scheduling;

/// <summary>
/// A slot's KV saved to host memory: the slot's tokens, and for each tier a snapshot of the first
/// <see cref="Cached"/>[tier] of them (a tier that held nothing has no snapshot).
/// </summary>
internal sealed class PromptCacheEntry : IDisposable
{
    public PromptCacheEntry(int[] tokens, KvSnapshot?[] tiers, int[] cached)
    {
        Tokens = tokens;
        Tiers = tiers;
        Cached = cached;
        Bytes = tiers.Sum(s => s?.Bytes ?? 0);
    }

    /// <summary>The tokens the slot held, in order.</summary>
    public ReadOnlyMemory<int> Tokens { get; }

    /// <summary>Each tier's snapshot, by tier index; null where the tier held nothing.</summary>
    public IReadOnlyList<KvSnapshot?> Tiers { get; }

    /// <summary>Leading tokens each tier's snapshot holds, by tier index.</summary>
    public IReadOnlyList<int> Cached { get; }

    /// <summary>Host memory the snapshots take.</summary>
    public long Bytes { get; }

    /// <summary>The cache's clock when the entry was last saved or restored.</summary>
    public long LastUsed { get; set; }

    /// <summary>
    /// Whether this entry holds everything <paramref name="tokens"/> with <paramref name="cached"/> tokens per tier
    /// would: the same tokens first, and at least as many in every tier.
    /// </summary>
    public bool Covers(ReadOnlySpan<int> tokens, IReadOnlyList<int> cached)
    {
        if (Tokens.Length < tokens.Length || !Tokens.Span[..tokens.Length].SequenceEqual(tokens))
        {
            return false;
        }
        for (var t = 0; t < Cached.Count; t++)
        {
            if (Cached[t] < cached[t])
            {
                return false;
            }
        }
        return true;
    }

    public void Dispose()
    {
        foreach (var snapshot in Tiers)
        {
            snapshot?.Dispose();
        }
    }
}
