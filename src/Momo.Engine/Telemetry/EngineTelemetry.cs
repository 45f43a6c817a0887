using System.Diagnostics;
using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;
using Momo.Engine.Sequences;

namespace Momo.Engine.Telemetry;

/// <summary>
/// What the engine loop reports about requests and steps: token timings into the metrics, and the per-step gauges
/// (KV use per tier, mean draft lengths) into the live counters. Runs on the engine thread.
/// </summary>
internal sealed class EngineTelemetry(EngineMetrics metrics, EngineCounters counters, TierSet tiers)
{
    // The mean draft lengths of the last planned step, republished with every KV update.
    private double[] _draftLengths = new double[3];

    /// <summary>A request left the queue for a sequence slot.</summary>
    public void Admitted(Sequence sequence, PrefixSource source) => metrics.RecordAdmission(
        sequence.Tokens.PromptLength, sequence.Counters.CachedPromptTokens, source.ToName(), Stopwatch.GetElapsedTime(sequence.SubmittedTimestamp).TotalSeconds);

    /// <summary>New completion tokens reached a request's reader: time to first token, or time per token since the last.</summary>
    public void TokensPublished(Sequence sequence, int newTokens)
    {
        var now = Stopwatch.GetTimestamp();
        var first = sequence.Output.LastTokenTimestamp == 0;
        var sinceLast = Stopwatch.GetElapsedTime(first ? sequence.SubmittedTimestamp : sequence.Output.LastTokenTimestamp, now).TotalSeconds;
        metrics.RecordTokens(
            sequence.Mode.ToApiName(),
            newTokens,
            first ? sinceLast : null,
            first || newTokens == 0 ? null : sinceLast / newTokens);
        sequence.Output.LastTokenTimestamp = now;
    }

    /// <summary>A request finished for <paramref name="reason"/>; a stop is named by the request's <see cref="GenerationRequest.StopLabel"/>.</summary>
    public void Finished(Sequence sequence, FinishReason reason)
    {
        var label = reason == FinishReason.Stop && sequence.Request.StopLabel is { } name && sequence.Output.Completion is { } text
            ? StopLabel(name, text.ToString())
            : reason.ToApiName();
        metrics.RecordFinish(sequence.Mode.ToApiName(), label, Stopwatch.GetElapsedTime(sequence.SubmittedTimestamp).TotalSeconds);
    }

    // The caller's code runs on the engine thread: a failure there must cost the label, not the engine.
    private static string StopLabel(Func<string, string> name, string text)
    {
        try
        {
            return name(text);
        }
        catch (Exception)
        {
            return FinishReason.Stop.ToApiName();
        }
    }

    /// <summary>Publishes the gauges after a step: KV use per tier, and the mean draft lengths the step planned.</summary>
    public void StepDone(StepPlan plan, KvLedger ledger)
    {
        // Each chain names the gauges its lengths feed: the mean over the sequences whose chain feeds a gauge.
        var sums = new double[3];
        var counts = new int[3];
        foreach (var planned in plan.Ready)
        {
            foreach (var (gauge, length) in planned.Chain.Gauges)
            {
                sums[(int)gauge] += length(planned.Lengths);
                counts[(int)gauge]++;
            }
        }
        for (var g = 0; g < sums.Length; g++)
        {
            sums[g] = counts[g] == 0 ? 0 : sums[g] / counts[g];
        }
        _draftLengths = sums;
        KvChanged(ledger);
    }

    /// <summary>
    /// Publishes KV use per tier now: after each step, and after sequences are released, so a server at rest shows what
    /// its caches really hold rather than the last step's figure.
    /// </summary>
    public void KvChanged(KvLedger ledger)
    {
        var kv = new double[TierSet.Count];
        for (var t = 0; t < TierSet.Count; t++)
        {
            if (tiers[(Tier)t] is { } model)
            {
                kv[t] = Math.Min(1.0, ledger.CellsInUse((Tier)t) / (double)model.KvCapacity);
            }
        }
        counters.PublishStep(kv, _draftLengths);
    }
}
