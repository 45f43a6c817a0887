using System.Diagnostics.Metrics;
using Momo.Engine.Runtime;

namespace Momo.Engine.Telemetry;

/// <summary>
/// Live engine state, written by the engine thread and readable from any thread (health, metrics, tests).
/// Arrays are swapped whole after each step, never mutated in place, so a reader sees one consistent step.
/// </summary>
public sealed class EngineCounters
{
    private static readonly string[] TierLabels = [Tier.Draft.ToName(), Tier.Qualifier.ToName(), Tier.Target.ToName()];
    private static readonly string[] StageNames = ["inner", "outer", "two_tier"];
    private double[] _kvUsage = new double[3];
    private double[] _draftLengths = new double[3];
    private int _running;
    private int _waiting;
    private long _cancelled;
    private long _promptCacheBytes;
    private int _promptCacheEntries;

    /// <summary>Sequences being decoded now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Requests waiting for a sequence slot.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Sequences freed because their client went away or cancelled.</summary>
    public long CancelledSequences => Interlocked.Read(ref _cancelled);


    /// <summary>Host memory the prompt cache's entries take.</summary>
    public long PromptCacheBytes => Interlocked.Read(ref _promptCacheBytes);

    /// <summary>Entries (saved slot prefixes) in the host prompt cache.</summary>
    public int PromptCacheEntries => Volatile.Read(ref _promptCacheEntries);

    /// <summary>Fraction of each tier's KV cells in use, by tier label.</summary>
    public IEnumerable<Measurement<double>> KvUsage() => Labelled(Volatile.Read(ref _kvUsage), "tier", TierLabels);

    /// <summary>KV use of the fullest tier (0–1): the tier that will refuse work first, so the one a router should weigh.</summary>
    public double FullestTierKvUsage => Volatile.Read(ref _kvUsage).Max();

    /// <summary>Mean current draft length of the running sequences: γ₁ (inner), γ₂ (outer), γ (two-tier).</summary>
    public IEnumerable<Measurement<double>> DraftLengths() => Labelled(Volatile.Read(ref _draftLengths), "stage", StageNames);

    internal void PublishStep(double[] kvUsage, double[] draftLengths)
    {
        Volatile.Write(ref _kvUsage, kvUsage);
        Volatile.Write(ref _draftLengths, draftLengths);
    }

    private static IEnumerable<Measurement<double>> Labelled(double[] values, string label, string[] names) =>
        values.Select((value, i) => new Measurement<double>(value, new KeyValuePair<string, object?>(label, names[i])));

    internal void SetRunning(int value) => Volatile.Write(ref _running, value);
    internal void SetPromptCache(long bytes, int entries)
    {
        Interlocked.Exchange(ref _promptCacheBytes, bytes);
        Volatile.Write(ref _promptCacheEntries, entries);
    }
    internal void AddWaiting(int delta) => Interlocked.Add(ref _waiting, delta);
    internal void CountCancelled() => Interlocked.Increment(ref _cancelled);
}
