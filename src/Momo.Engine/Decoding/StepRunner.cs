using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Momo.Engine.Publishing;
using Momo.Engine.Scheduling;
using Momo.Engine.Sequences;
using Momo.Engine.Telemetry;

namespace Momo.Engine.Decoding;

/// <summary>
/// Runs one engine step: the <see cref="Scheduler"/>'s runnable sequences are planned, executed and applied, and what
/// apply found goes back to the scheduler. A full KV cache is the scheduler's to relieve; any other failure retries
/// each sequence in a step of its own, so one bad sequence fails alone.
/// </summary>
internal sealed partial class StepRunner(
    Scheduler scheduler, StepPlanner planner, StepExecutor executor, StepApplier applier, TailKeeper tails, KvLedger ledger,
    EngineTelemetry telemetry, EngineMetrics metrics, ILogger logger)
{
    /// <summary>One step over the scheduled sequences: plan every tier's work inside its batch limit, execute the decodes, apply what was accepted.</summary>
    public void Run()
    {
        var planning = Stopwatch.GetTimestamp();
        var runnable = scheduler.Schedule();
        var plan = planner.Plan(runnable);
        metrics.RecordPhase(StepPhases.Plan, null, planning);
        StepOutcome outcome;
        try
        {
            outcome = executor.Execute(plan);
        }
        catch (TierFullException full)
        {
            LogKvFull(full.Message);
            scheduler.Relieve(full.Tier);
            return;
        }
        catch (Exception failure)
        {
            LogStepFailed(failure);
            Isolate(runnable);
            return;
        }
        var applying = Stopwatch.GetTimestamp();
        Settle(applier.Apply(outcome));
        telemetry.StepDone(plan, ledger);
        metrics.RecordPhase(StepPhases.Apply, null, applying);
    }

    /// <summary>
    /// A step failed for a reason other than memory: each sequence retries in a step of its own, so only the ones that
    /// fail again end with an error and the others keep running. Dropping the unverified tails first is exact.
    /// </summary>
    private void Isolate(IReadOnlyList<Sequence> runnable)
    {
        foreach (var sequence in runnable)
        {
            tails.Drop(sequence);
        }
        foreach (var sequence in runnable)
        {
            try
            {
                Settle(applier.Apply(executor.Execute(planner.Plan([sequence]))));
            }
            catch (TierFullException)
            {
                tails.Drop(sequence); // memory, not this sequence: the next step's pressure handling deals with it
            }
            catch (Exception failure)
            {
                LogSequenceFailed(sequence.Request.Id, failure);
                scheduler.End(sequence, Ending.Failure(failure.Message));
            }
        }
    }

    /// <summary>Hands what apply found to the scheduler: the sequences that ended, and those whose own apply failed.</summary>
    private void Settle(ApplyResult result)
    {
        foreach (var (sequence, ending) in result.Endings)
        {
            scheduler.End(sequence, ending);
        }
        foreach (var (sequence, failure) in result.Failures)
        {
            LogSequenceFailed(sequence.Request.Id, failure);
            scheduler.End(sequence, Ending.Failure(failure.Message));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "KV cache full: {Detail}")]
    private partial void LogKvFull(string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Engine step failed; each request retries alone, and those that fail again end with an error")]
    private partial void LogStepFailed(Exception failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} failed in the engine; the others go on")]
    private partial void LogSequenceFailed(string requestId, Exception failure);
}
