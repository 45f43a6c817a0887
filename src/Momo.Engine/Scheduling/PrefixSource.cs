namespace Momo.Engine.Scheduling;

/// <summary>Where a new sequence's cached prompt prefix came from (the <c>source</c> label of the prefix cache hits).</summary>
internal enum PrefixSource
{
    /// <summary>Nothing was cached: the whole prompt is computed.</summary>
    None,

    /// <summary>A free slot's KV, left by an earlier request (in place, or its cells shared into another free slot).</summary>
    Slot,

    /// <summary>A running sequence's KV cells, shared.</summary>
    Running,

    /// <summary>The host-memory prompt cache, written back into the slot.</summary>
    Host,
}

/// <summary>Label values of <see cref="PrefixSource"/>.</summary>
internal static class PrefixSourceNames
{
    public static string ToName(this PrefixSource source) => source switch
    {
        PrefixSource.Slot => "slot",
        PrefixSource.Running => "running",
        PrefixSource.Host => "host",
        _ => "none",
    };
}
