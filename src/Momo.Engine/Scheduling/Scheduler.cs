using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Momo.Engine.Publishing;
using Momo.Engine.Results;
using Momo.Engine.Runtime;
using Momo.Engine.Sequences;
using Momo.Engine.Speculation;
using Momo.Engine.Telemetry;
using Momo.Grammar.Masks;

namespace Momo.Engine.Scheduling;

/// <summary>
/// The owner of every sequence's life: the waiting requests (a bounded queue, written from any thread), the active
/// sequences (running or preempted, each in a slot), admission, release, preemption under memory pressure, and every
/// change of <see cref="SequenceState"/>. Engine thread only, except <see cref="TryEnqueue"/>. Every native call it
/// makes for one request (taking a slot, sharing or restoring a cached prefix) is isolated: a failure fails that
/// request, never the engine thread.
/// </summary>
/// <remarks>
/// Waiting → Running (admitted into a slot) ↔ Preempted (the target's KV ran out: its KV is copied to the host prompt
/// cache where it fits and dropped; it resumes, restoring that copy, once others have finished) → Finished, Failed or
/// Cancelled (its final update written; the slot is then released).
/// </remarks>
internal sealed partial class Scheduler : IDisposable
{
    private readonly TierSet _tiers;
    private readonly ITokenText _vocabulary;
    private readonly EngineOptions _options;
    private readonly KvLedger _ledger;
    private readonly TailKeeper _tails;
    private readonly Publisher _publisher;
    private readonly EngineTelemetry _telemetry;
    private readonly EngineMetrics _metrics;
    private readonly EngineCounters _counters;
    private readonly Func<GrammarVocabulary> _grammarVocabulary;
    private readonly ILogger _logger;
    private readonly Channel<PendingRequest> _waiting;
    private readonly List<Sequence> _active = [];
    private readonly AcceptancePriors _priors = new();
    private readonly PromptCache _promptCache;
    private readonly SlotCache _slots;
    private readonly MemoryPressure _memory;
    private int _runningWhenPreempted;

    public Scheduler(
        TierSet tiers, ITokenText vocabulary, EngineOptions options, KvLedger ledger, TailKeeper tails, Publisher publisher,
        EngineTelemetry telemetry, EngineMetrics metrics, EngineCounters counters, Func<GrammarVocabulary> grammarVocabulary, ILogger logger)
    {
        (_tiers, _vocabulary, _options, _ledger, _tails, _publisher) = (tiers, vocabulary, options, ledger, tails, publisher);
        (_telemetry, _metrics, _counters, _grammarVocabulary, _logger) = (telemetry, metrics, counters, grammarVocabulary, logger);
        _waiting = Channel.CreateBounded<PendingRequest>(new BoundedChannelOptions(options.MaxQueuedRequests)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _promptCache = new PromptCache(options.ReusePrefixes ? options.PromptCacheBytes : 0);
        _slots = new SlotCache(ledger, _promptCache, options.MaxSequences);
        _memory = new MemoryPressure(tiers, ledger, _slots, metrics);
    }

    /// <summary>Whether any sequence holds a slot.</summary>
    public bool HasActive => _active.Count > 0;

    /// <summary>Queues a request (any thread); false when the queue is full or closed.</summary>
    public bool TryEnqueue(PendingRequest pending) => _waiting.Writer.TryWrite(pending);

    /// <summary>Completes when a request is waiting (or <paramref name="stopping"/> is cancelled, which throws).</summary>
    public ValueTask<bool> WaitForWorkAsync(CancellationToken stopping) => _waiting.Reader.WaitToReadAsync(stopping);

    /// <summary>Admits waiting requests into free slots; new requests wait while a preempted one does (it goes first).</summary>
    public void Admit()
    {
        while (_slots.HasFree && !_active.Any(s => s.State == SequenceState.Preempted) && _waiting.Reader.TryRead(out var pending))
        {
            _counters.AddWaiting(-1);
            if (pending.Cancellation.IsCancellationRequested)
            {
                pending.Updates.Writer.TryComplete();
                continue;
            }
            try
            {
                AdmitOne(pending);
            }
            catch (Exception failure)
            {
                LogAdmissionFailed(pending.Request.Id, failure);
                pending.Updates.Writer.TryWrite(new GenerationUpdate("", 0, FinishReason.Error, Statistics: null, failure.Message));
                pending.Updates.Writer.TryComplete();
            }
        }
        _counters.SetRunning(_active.Count);
        _counters.SetPromptCache(_promptCache.Bytes, _promptCache.Count);
    }

    private void AdmitOne(PendingRequest pending)
    {
        var request = pending.Request;
        var (slot, cachedPrompt, source) = _slots.Acquire(request.PromptTokens, _options.ReusePrefixes ? _active : []);
        try
        {
            var text = new OutputText(_vocabulary, request.StopSequences, request.MaxTokens);
            var grammar = request.Grammar is { } output ? new GrammarTrack(output, _grammarVocabulary()) : null;
            var sequence = new Sequence(request, slot, cachedPrompt, _tiers.Target.VocabularySize, pending.Updates.Writer, text, _priors, grammar)
            {
                Cancellation = pending.Cancellation,
                SubmittedTimestamp = pending.SubmittedTimestamp,
                State = SequenceState.Running,
            };
            _active.Add(sequence);
            _telemetry.Admitted(sequence, source);
        }
        catch
        {
            _slots.ReleaseEmpty(slot);
            throw;
        }
    }

    /// <summary>
    /// The sequences to decode this step, as a new list: the running ones, and one preempted sequence, resumed (its KV
    /// restored from the host prompt cache where it is still there), once others have finished.
    /// </summary>
    public IReadOnlyList<Sequence> Schedule()
    {
        var runnable = _active.Where(s => s.State == SequenceState.Running).ToList();
        var preempted = _active.FirstOrDefault(s => s.State == SequenceState.Preempted);
        if (preempted is not null && (runnable.Count == 0 || runnable.Count < _runningWhenPreempted))
        {
            Resume(preempted);
            runnable.Add(preempted);
        }
        return runnable;
    }

    private void Resume(Sequence sequence)
    {
        sequence.State = SequenceState.Running;
        try
        {
            _slots.RestoreFromHost(sequence.Slot, sequence.Tokens.Committed.ToArray());
        }
        catch (Exception failure)
        {
            // The copy is only an optimisation: whatever the restore left goes, and the sequence recomputes its text.
            LogRestoreFailed(sequence.Request.Id, failure);
            _ledger.Truncate(sequence.Slot, 0);
        }
    }

    /// <summary>
    /// A tier's KV cache had no room for this step: drops every speculative tail, then frees memory in that tier,
    /// preempting the youngest running sequence when the target ran out (or failing it when it runs alone).
    /// </summary>
    public void Relieve(Tier full)
    {
        foreach (var sequence in _active)
        {
            _tails.Drop(sequence);
        }
        var running = _active.Where(s => s.State == SequenceState.Running).ToList();
        if (_memory.Relieve(running, full) is not { } victim)
        {
            return;
        }
        if (running.Count <= 1)
        {
            // Alone and still out of memory: nothing to wait for.
            End(victim, Ending.Failure("The KV cache cannot hold this request even alone; raise the context size."));
            return;
        }
        Preempt(victim, running.Count - 1);
    }

    private void Preempt(Sequence victim, int othersRunning)
    {
        // Its committed KV goes to host memory where it fits, so resuming restores it instead of recomputing it.
        _slots.SaveToHost(victim.Slot, victim.Tokens.Working[.._ledger.MostCached(victim.Slot)].ToArray());
        _ledger.Truncate(victim.Slot, 0);
        victim.State = SequenceState.Preempted;
        victim.Counters.Preemptions++;
        _metrics.RecordPreemption();
        _runningWhenPreempted = othersRunning;
    }

    /// <summary>Ends <paramref name="sequence"/>: its end state, then its final update (unless its reader stalled); later calls do nothing.</summary>
    public void End(Sequence sequence, Ending ending)
    {
        if (sequence.IsDone)
        {
            return;
        }
        sequence.State = ending.Reason switch
        {
            FinishReason.Error => SequenceState.Failed,
            FinishReason.Cancelled => SequenceState.Cancelled,
            _ => SequenceState.Finished,
        };
        if (!ending.Stalled)
        {
            _publisher.WriteFinal(sequence, ending);
        }
        _telemetry.Finished(sequence, ending.Reason);
    }

    /// <summary>Cancels the sequences whose client went away, then releases every ended sequence.</summary>
    public void CancelAbandoned()
    {
        foreach (var sequence in _active)
        {
            if (!sequence.IsDone && sequence.Cancellation.IsCancellationRequested)
            {
                End(sequence, Ending.Cancellation);
            }
        }
        ReleaseEnded();
    }

    /// <summary>Frees the slots of ended sequences: a finished one keeps its KV for later prefix matches, a failed one's is not trusted.</summary>
    public void ReleaseEnded()
    {
        var released = false;
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            var sequence = _active[i];
            if (!sequence.IsDone)
            {
                continue;
            }
            if (sequence.State == SequenceState.Failed || !_options.ReusePrefixes)
            {
                _slots.ReleaseEmpty(sequence.Slot);
            }
            else
            {
                _slots.Release(sequence);
            }
            _active.RemoveAt(i);
            released = true;
            if (sequence.State == SequenceState.Cancelled)
            {
                _counters.CountCancelled();
            }
        }
        _counters.SetRunning(_active.Count);
        if (released)
        {
            _telemetry.KvChanged(_ledger);
        }
        _counters.SetPromptCache(_promptCache.Bytes, _promptCache.Count); // memory pressure may have saved slots
    }

    /// <summary>
    /// The engine stopped: every active sequence and every waiting request gets a final update (cancelled), so no
    /// reader is left waiting; later submissions are refused. Call after the engine thread has ended.
    /// </summary>
    public void Dispose()
    {
        foreach (var sequence in _active)
        {
            End(sequence, Ending.Cancellation);
        }
        _waiting.Writer.TryComplete();
        _promptCache.Dispose();
        while (_waiting.Reader.TryRead(out var pending))
        {
            _counters.AddWaiting(-1);
            pending.Updates.Writer.TryWrite(new GenerationUpdate("", 0, FinishReason.Cancelled, Statistics: null, "The engine stopped before this request started."));
            pending.Updates.Writer.TryComplete();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} failed while it was admitted; the others go on")]
    private partial void LogAdmissionFailed(string requestId, Exception failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: restoring its preempted KV failed; it recomputes its text")]
    private partial void LogRestoreFailed(string requestId, Exception failure);
}
