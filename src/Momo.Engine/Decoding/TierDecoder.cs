using System.Diagnostics;
using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;
using Momo.Engine.Sequences;
using Momo.Engine.Speculation;
using Momo.Engine.Telemetry;

namespace Momo.Engine.Decoding;

/// <summary>
/// <paramref name="Count"/> tokens of <paramref name="Sequence"/>'s working list, starting where the tier's KV ends,
/// with logits for the last <paramref name="LogitsForLast"/>.
/// </summary>
internal readonly record struct TierFeed(Sequence Sequence, int Count, int LogitsForLast);

/// <summary>
/// Decodes one phase's feeds on a tier in as few decodes as the tier's batch limit allows: a feed's tokens without
/// logits may be split across decodes, its tokens with logits stay together (the planner keeps them inside the
/// limit), so no decode ever exceeds the limit. Each feed's logits are read right after the decode that holds them,
/// before the next decode overwrites them. The ledger records what each successful decode stored; a failed decode
/// leaves the ledger as it was and drops whatever the native cache may have kept of it. Every decode's time refines the
/// tier's cost curve in <paramref name="costs"/> (indexed by tier), the one the planner prices chains with.
/// </summary>
internal sealed class TierDecoder(TierSet tiers, KvLedger ledger, EngineMetrics metrics, IReadOnlyList<TierCostCurve?> costs)
{
    private readonly DecodeBatch _batch = new();
    private readonly List<(int Feed, int Handle)> _logits = [];
    private readonly List<(int Slot, int End)> _stored = [];

    /// <summary>Called with a feed's index and the batch handle of its first token with logits.</summary>
    public delegate void LogitsReader(int feed, int firstHandle);

    /// <summary>Everything of <paramref name="sequence"/>'s working list that <paramref name="tier"/> has not cached, with logits for the last <paramref name="logitsForLast"/> tokens.</summary>
    public TierFeed CatchUp(Sequence sequence, Tier tier, int logitsForLast) =>
        new(sequence, sequence.Tokens.WorkingLength - ledger.Cached(sequence.Slot, tier), logitsForLast);

    /// <summary>Decodes <paramref name="feeds"/>; <paramref name="phase"/> names the native time in the step profile.</summary>
    public void Decode(Tier tier, IReadOnlyList<TierFeed> feeds, LogitsReader? read = null, string phase = StepPhases.Decode)
    {
        var model = tiers[tier] ?? throw new InvalidOperationException($"The {tier} tier is not loaded.");
        var limit = model.MaxBatchTokens;
        Reset();
        for (var i = 0; i < feeds.Count; i++)
        {
            var (sequence, count, logitsForLast) = feeds[i];
            if (logitsForLast > limit || logitsForLast > count)
            {
                throw new InvalidOperationException(
                    $"Sequence {sequence.Request.Id}: {logitsForLast} rows of logits cannot come from {count} tokens in decodes of at most {limit} on the {tier} tier.");
            }
            var from = ledger.Cached(sequence.Slot, tier);
            var tokens = sequence.Tokens.Working.Slice(from, count);
            var plain = count - logitsForLast;
            var done = 0;
            while (done < plain)
            {
                if (_batch.Count == limit)
                {
                    Flush(model, tier, read, phase);
                }
                var part = Math.Min(plain - done, limit - _batch.Count);
                _batch.AddRange(tokens.Slice(done, part), from + done, sequence.Slot, logitsForLast: 0);
                _stored.Add((sequence.Slot, from + done + part));
                done += part;
            }
            if (logitsForLast == 0)
            {
                continue;
            }
            if (_batch.Count + logitsForLast > limit)
            {
                Flush(model, tier, read, phase);
            }
            var handle = _batch.AddRange(tokens[plain..], from + plain, sequence.Slot, logitsForLast);
            _stored.Add((sequence.Slot, from + count));
            _logits.Add((i, handle));
        }
        Flush(model, tier, read, phase);
    }

    private void Flush(ITierModel model, Tier tier, LogitsReader? read, string phase)
    {
        if (_batch.Count == 0)
        {
            return;
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            model.Decode(_batch);
        }
        catch (Exception failure)
        {
            foreach (var (slot, _) in _stored)
            {
                ledger.Discard(slot, tier);
            }
            Reset();
            if (failure is KvCacheFullException)
            {
                throw new TierFullException(tier, failure);
            }
            throw;
        }
        metrics.RecordPhase(phase, tier, started);
        costs[(int)tier]?.Observe(_batch.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
        foreach (var (slot, end) in _stored)
        {
            ledger.Stored(slot, tier, end);
        }
        if (read is not null && _logits.Count > 0)
        {
            var reading = Stopwatch.GetTimestamp();
            foreach (var (feed, handle) in _logits)
            {
                read(feed, handle);
            }
            metrics.RecordPhase(StepPhases.Rows, tier, reading);
        }
        Reset();
    }

    private void Reset()
    {
        _batch.Clear();
        _logits.Clear();
        _stored.Clear();
    }
}

/// <summary>A tier's KV cache had no room for a decode of this step; the engine relieves that tier.</summary>
internal sealed class TierFullException(Tier tier, Exception inner) : Exception(inner.Message, inner)
{
    public Tier Tier { get; } = tier;
}
