using Momo.Engine.Runtime;
using Momo.Engine.Telemetry;

namespace Momo.Engine.Scheduling;

/// <summary>
/// What the engine does when a tier's KV cache is full: evict the prefix cache of free slots, else degrade the youngest
/// sequence that uses the full qualifier or draft tier (pyramid → two_tier → target_only, which stay exact), or preempt
/// the youngest sequence when the target is full (drop its KV and recompute it once others finish). Admissions wait
/// while any sequence is preempted, so preempted work goes first.
/// </summary>
internal sealed class MemoryPressure(TierSet tiers, KvLedger ledger, SlotCache slots, EngineMetrics metrics)
{
    private readonly List<Sequence> _runnable = [];
    private int _runningWhenPreempted;

    /// <summary>New requests wait while preempted ones do.</summary>
    public static bool CanAdmit(IReadOnlyList<Sequence> active) => !active.Any(s => s.State == SequenceState.Preempted);

    /// <summary>Sequences to decode this step; resumes one preempted sequence when others have finished.</summary>
    public IReadOnlyList<Sequence> Runnable(IReadOnlyList<Sequence> active)
    {
        _runnable.Clear();
        _runnable.AddRange(active.Where(s => s.State == SequenceState.Running));
        var preempted = active.FirstOrDefault(s => s.State == SequenceState.Preempted);
        if (preempted is not null && (_runnable.Count == 0 || _runnable.Count < _runningWhenPreempted))
        {
            preempted.State = SequenceState.Running;
            _runnable.Add(preempted);
        }
        return _runnable;
    }

    /// <summary>
    /// Resets every speculative tail, then frees memory in the tier that ran out. Returns a sequence that cannot fit
    /// even alone (the engine fails it), else null.
    /// </summary>
    public Sequence? Relieve(IReadOnlyList<Sequence> active, Tier full)
    {
        foreach (var sequence in active)
        {
            ledger.DropTail(sequence);
        }
        if (slots.EvictCached())
        {
            return null; // cached prefixes of finished requests go first
        }
        var candidates = active.Where(s => s.State == SequenceState.Running).ToList();
        switch (full)
        {
            case Tier.Qualifier:
                Degrade(candidates.LastOrDefault(s => tiers.TiersOf(s.Mode).Contains(Tier.Qualifier)), DecodingMode.TwoTier);
                return null;
            case Tier.Draft:
                Degrade(candidates.LastOrDefault(s => s.Mode != DecodingMode.TargetOnly), DecodingMode.TargetOnly);
                return null;
            default:
                return Preempt(candidates);
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

    private Sequence? Preempt(List<Sequence> candidates)
    {
        if (candidates.Count <= 1)
        {
            // Alone and still out of memory: nothing to wait for.
            return candidates.FirstOrDefault();
        }
        var victim = candidates[^1];
        ledger.Truncate(victim.Slot, 0);
        victim.State = SequenceState.Preempted;
        victim.Counters.Preemptions++;
        metrics.RecordPreemption();
        _runningWhenPreempted = candidates.Count - 1;
        return null;
    }
}
