using Momo.Engine.Publishing;
using Momo.Engine.Scheduling;
using Momo.Engine.Sequences;
using Momo.Engine.Telemetry;

namespace Momo.Engine.Decoding;

/// <summary>
/// The one stage that changes what a sequence has committed: for each target verification it commits the accepted
/// tokens plus the recovered or bonus token and rolls every tier's KV back to them (<see cref="TailKeeper.Commit"/>),
/// counts the verifications per stage of the sequence's chain, records what <c>auto</c> decided, and publishes the
/// new text (end of generation, stop strings, length). Ending a sequence is the scheduler's: apply returns the endings.
/// </summary>
internal sealed class StepApplier(TailKeeper tails, EngineMetrics metrics, Publisher publisher)
{
    /// <summary>
    /// Applies the outcome; returns the sequences that this step ended, for the scheduler to end, and those whose own
    /// apply failed (the others are applied regardless).
    /// </summary>
    public ApplyResult Apply(StepOutcome outcome)
    {
        foreach (var (plan, proposed, accepted, expected) in outcome.Inner)
        {
            var stage = plan.Chain.InnerStage!;
            stage.Count(plan.Sequence.Counters, proposed, accepted);
            stage.Acceptance(plan.Sequence).Observe(expected, accepted);
            metrics.RecordVerification(stage.Name, proposed, accepted);
        }
        List<(Sequence Sequence, Ending Ending)>? endings = null;
        List<(Sequence Sequence, Exception Failure)>? failures = null;
        foreach (var verdict in outcome.Target)
        {
            var sequence = verdict.Sequence;
            try
            {
                var firstNew = sequence.Tokens.CommittedLength;
                tails.Commit(sequence, verdict.Accepted, verdict.Next);
                Count(verdict);
                verdict.Plan.Auto?.RecordOn(sequence);
                if (publisher.Publish(sequence, firstNew, verdict.Logprobs) is { } ending)
                {
                    (endings ??= []).Add((sequence, ending));
                }
            }
            catch (Exception failure)
            {
                (failures ??= []).Add((sequence, failure));
            }
        }
        return new ApplyResult(endings ?? [], failures ?? []);
    }

    /// <summary>Counts the verification; the running estimates learn from the rows (1 − TV), the metrics count acceptances.</summary>
    private void Count(TargetVerification verdict)
    {
        var (proposed, accepted, expected) = (verdict.Proposed, verdict.Accepted, verdict.ExpectedAcceptance);
        var counters = verdict.Sequence.Counters;
        counters.TargetCalls++;
        counters.TargetProposedTokens += proposed;
        counters.TargetAcceptedTokens += accepted;
        if (proposed == 0 || verdict.Plan.Chain.TargetStage is not { } stage)
        {
            return;
        }
        stage.Count(counters, proposed, accepted);
        stage.Acceptance(verdict.Sequence).Observe(expected, accepted);
        metrics.RecordVerification(stage.Name, proposed, accepted);
    }
}

/// <summary>What applying a step found: the sequences it ended (and how), and those whose own apply failed.</summary>
internal sealed record ApplyResult(
    IReadOnlyList<(Sequence Sequence, Ending Ending)> Endings, IReadOnlyList<(Sequence Sequence, Exception Failure)> Failures);
