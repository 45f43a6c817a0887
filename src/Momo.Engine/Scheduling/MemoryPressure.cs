using Momo.Engine.Requests;
using Momo.Engine.Runtime;
using Momo.Engine.Sequences;
using Momo.Engine.Telemetry;

namespace Momo.Engine.Scheduling;

/// <summary>
/// What to free when a tier's KV cache is full: the prefix cache of free slots first, else degrade the youngest
/// sequence that uses the full qualifier or draft tier (pyramid → two_tier → target_only, which stay exact), or name
/// the youngest sequence as the one to preempt when the target is full. Changing a sequence's state is the
/// <see cref="Scheduler"/>'s.
/// </summary>
internal sealed class MemoryPressure(TierSet tiers, KvLedger ledger, SlotCache slots, EngineMetrics metrics)
{
    /// <summary>
    /// Frees memory in the tier that ran out, given the running sequences (oldest first, speculative tails already
    /// dropped). Returns the sequence to preempt when only that helps, else null.
    /// </summary>
    public Sequence? Relieve(IReadOnlyList<Sequence> running, Tier full)
    {
        if (slots.EvictCached())
        {
            return null; // cached prefixes of finished requests go first
        }
        switch (full)
        {
            case Tier.Qualifier:
                Degrade(running.LastOrDefault(s => tiers.TiersOf(s.Mode).Contains(Tier.Qualifier)), DecodingMode.TwoTier);
                return null;
            case Tier.Draft:
                Degrade(running.LastOrDefault(s => s.Mode != DecodingMode.TargetOnly), DecodingMode.TargetOnly);
                return null;
            default:
                return running.Count == 0 ? null : running[^1];
        }
    }

    private void Degrade(Sequence? sequence, DecodingMode to)
    {
        if (sequence is null)
        {
            return;
        }
        sequence.Counters.Degradations.Add($"{sequence.Mode.ToApiName()}->{to.ToApiName()}");
        metrics.RecordDegradation(sequence.Mode, to);
        ledger.Truncate(sequence.Slot, Tier.Qualifier, 0);
        if (to == DecodingMode.TargetOnly)
        {
            ledger.Truncate(sequence.Slot, Tier.Draft, 0);
        }
        sequence.Mode = to;
    }
}
