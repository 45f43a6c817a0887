namespace Momo.Engine.Runtime;

/// <summary>
/// One sequence's KV cells of one tier, copied out of the tier's context into host memory so they can be written back
/// into a sequence later (the prompt cache). Whoever keeps it disposes it, which frees the memory.
/// </summary>
public abstract class KvSnapshot : IDisposable
{
    /// <summary>Host memory the snapshot holds.</summary>
    public abstract long Bytes { get; }

    /// <summary>Frees the snapshot's memory.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the memory; <paramref name="disposing"/> is false when called from a finalizer.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
