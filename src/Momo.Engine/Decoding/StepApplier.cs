using Momo.Engine.Scheduling;
using Momo.Engine.Speculation;
using Momo.Engine.Telemetry;

namespace Momo.Engine.Decoding;

/// <summary>
/// The one stage that changes what a sequence has committed: for each target verification it rolls every tier's KV
/// back to the accepted prefix (one ledger truncation), commits the accepted tokens plus the recovered or bonus token,
/// counts the verifications per stage, and publishes the new text (end of generation, stop strings, length).
/// </summary>
internal sealed class StepApplier(KvLedger ledger, EngineMetrics metrics, Publisher publisher)
{
    /// <summary>Applies the outcome; returns the sequences whose own apply failed (the others are applied regardless).</summary>
    public IReadOnlyList<(Sequence Sequence, Exception Failure)> Apply(StepOutcome outcome)
    {
        _failures.Clear();
        foreach (var (sequence, proposed, accepted, expected) in outcome.Inner)
        {
            sequence.Counters.DraftedTokens += proposed;
            sequence.Counters.QualifierProposedTokens += proposed;
            sequence.Counters.QualifierAcceptedTokens += accepted;
            sequence.DraftToQualifier.Observe(expected, accepted);
            metrics.RecordVerification(SpeculationStages.DraftToQualifier, proposed, accepted);
        }
        foreach (var verdict in outcome.Target)
        {
            var sequence = verdict.Sequence;
            try
            {
                ledger.Truncate(sequence.Slot, verdict.FirstTail + verdict.Accepted);
                sequence.CommitTail(verdict.Accepted, verdict.Next);
                Count(sequence, verdict);
                publisher.Publish(sequence, verdict.FirstTail, verdict.Logprobs);
            }
            catch (Exception failure)
            {
                _failures.Add((sequence, failure));
            }
        }
        return _failures;
    }

    private readonly List<(Sequence Sequence, Exception Failure)> _failures = [];

    /// <summary>Counts the verification; the running estimates learn from the rows (1 − TV), the metrics count acceptances.</summary>
    private void Count(Sequence sequence, TargetVerification verdict)
    {
        var (proposed, accepted, expected) = (verdict.Proposed, verdict.Accepted, verdict.ExpectedAcceptance);
        var counters = sequence.Counters;
        counters.TargetCalls++;
        counters.TargetProposedTokens += proposed;
        counters.TargetAcceptedTokens += accepted;
        if (proposed == 0)
        {
            return;
        }
        switch (verdict.Chain)
        {
            case Chain.Pyramid:
                sequence.QualifierToTarget.Observe(expected, accepted);
                metrics.RecordVerification(SpeculationStages.QualifierToTarget, proposed, accepted);
                break;
            case Chain.Lookup:
                counters.LookupProposedTokens += proposed;
                counters.LookupAcceptedTokens += accepted;
                sequence.LookupToTarget.Observe(expected, accepted);
                metrics.RecordVerification(SpeculationStages.LookupToTarget, proposed, accepted);
                break;
            default:
                counters.DraftedTokens += proposed;
                sequence.DraftToTarget.Observe(expected, accepted);
                metrics.RecordVerification(SpeculationStages.DraftToTarget, proposed, accepted);
                break;
        }
    }
}
