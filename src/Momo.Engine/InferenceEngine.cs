using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Momo.Engine.Constraints;
using Momo.Engine.Decoding;
using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;
using Momo.Engine.Speculation;
using Momo.Engine.Telemetry;

namespace Momo.Engine;

/// <summary>
/// The engine: one thread owns every native context and runs plan → execute → apply steps over all active
/// sequences. Callers talk to it only through channels: <see cref="Submit"/> queues a request and returns the reader
/// of its updates.
/// </summary>
public sealed partial class InferenceEngine : IDisposable
{
    private readonly TierSet _tiers;
    private readonly ITokenText _vocabulary;
    private readonly EngineOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<PendingRequest> _incoming;
    private readonly KvLedger _ledger;
    private readonly SlotCache _slots;
    private readonly PromptCache _promptCache;
    private readonly List<Sequence> _active = [];
    private readonly StepPlanner _planner;
    private readonly AcceptancePriors _priors = new();
    private readonly StepExecutor _executor;
    private readonly StepApplier _applier;
    private readonly Publisher _publisher;
    private readonly MemoryPressure _memory;
    private readonly EngineTelemetry _telemetry;
    private readonly EngineMetrics _metrics;
    private readonly CancellationTokenSource _stopping = new();
    // Built on the first request with a grammar (a trie over the whole vocabulary), then shared by all of them; built
    // by Submit, on the caller's thread, before the request reaches the engine thread.
    private readonly Lazy<GrammarVocabulary> _grammarVocabulary;
    private readonly Thread _thread;
    private int _disposed;

    /// <summary>Creates the engine and starts its thread; instruments are created on <paramref name="meter"/>.</summary>
    public InferenceEngine(TierSet tiers, ITokenText vocabulary, EngineOptions options, DraftLengthPlanner planner, Meter meter, ILogger logger)
        : this(tiers, vocabulary, options, planner, meter, logger, SpeculativeSampling.Verify)
    {
    }

    /// <summary>An engine whose stages verify with <paramref name="rule"/> (tests wire in broken rules to prove the exactness tests fail).</summary>
    internal InferenceEngine(
        TierSet tiers, ITokenText vocabulary, EngineOptions options, DraftLengthPlanner planner, Meter meter, ILogger logger, AcceptanceRule rule)
    {
        options.Validate();
        var metrics = new EngineMetrics(meter, Counters);
        _telemetry = new EngineTelemetry(metrics, Counters, tiers);
        _metrics = metrics;
        _tiers = tiers;
        _vocabulary = vocabulary;
        _grammarVocabulary = new Lazy<GrammarVocabulary>(() => new GrammarVocabulary(vocabulary, tiers.Target.VocabularySize));
        _options = options;
        _logger = logger;
        _incoming = Channel.CreateBounded<PendingRequest>(new BoundedChannelOptions(options.MaxQueuedRequests)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _ledger = new KvLedger(tiers, options.MaxSequences);
        _promptCache = new PromptCache(options.ReusePrefixes ? options.PromptCacheBytes : 0);
        _slots = new SlotCache(_ledger, _promptCache, options.MaxSequences);
        _planner = new StepPlanner(tiers, _ledger, planner, options);
        _executor = new StepExecutor(tiers, _ledger, vocabulary, rule, metrics, options.DraftMinConfidence, planner.Curves);
        _publisher = new Publisher(_telemetry, options.ContextPerSequence, logger);
        _applier = new StepApplier(_ledger, metrics, _publisher);
        _memory = new MemoryPressure(tiers, _ledger, _slots, metrics);
        _thread = new Thread(Loop) { IsBackground = true, Name = "momo-engine" };
        _thread.Start();
    }

    /// <summary>Live counts.</summary>
    public EngineCounters Counters { get; } = new();

    /// <summary>The engine's options.</summary>
    public EngineOptions Options => _options;

    /// <summary>Entries in the target's rows: token ids a request may name are below this.</summary>
    public int VocabularySize => _tiers.Target.VocabularySize;

    /// <summary>Modes the loaded tiers can serve.</summary>
    public bool Supports(DecodingMode mode) => _tiers.Supports(mode);

    /// <summary>
    /// Queues a request. Throws <see cref="EngineQueueFullException"/> when the waiting queue is full and
    /// <see cref="EngineStoppedException"/> once the engine is shutting down, and
    /// <see cref="Constraints.GrammarException"/> when the request's grammar cannot be compiled. The reader
    /// yields updates until one carries a finish reason; cancelling <paramref name="cancellation"/> (client gone)
    /// frees the request's sequences within one step.
    /// </summary>
    public ChannelReader<GenerationUpdate> Submit(GenerationRequest request, CancellationToken cancellation)
    {
        if (request.PromptTokens.Count == 0 || request.MaxTokens < 1)
        {
            throw new ArgumentException("A request needs at least one prompt token and one completion token.");
        }
        // Checked here, on the caller's thread: a bad setting must never reach (and stop) the engine thread.
        request.Sampling.Validate(_tiers.Target.VocabularySize);
        if (request.Grammar is { } grammar)
        {
            _ = grammar.Compiled; // a grammar that cannot be compiled throws GrammarException here
            // The first grammar builds the vocabulary's mask index (about a second at 200k tokens) here, on the caller's
            // thread, so the engine thread never stalls the other sequences for it.
            _ = _grammarVocabulary.Value;
        }
        if (!_tiers.Supports(request.Speculation.Mode))
        {
            throw new ArgumentException($"Mode '{request.Speculation.Mode.ToApiName()}' needs tiers that are not loaded.");
        }
        var updates = Channel.CreateBounded<GenerationUpdate>(new BoundedChannelOptions(_options.MaxUnreadUpdates)
        {
            SingleWriter = true,
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails, and the engine cancels the request
        });
        var pending = new PendingRequest(request, updates, Stopwatch.GetTimestamp(), cancellation);
        // Counted before it is queued: the engine thread may take it (and count it out) before TryWrite returns.
        Counters.AddWaiting(1);
        if (!_incoming.Writer.TryWrite(pending))
        {
            Counters.AddWaiting(-1);
            throw _stopping.IsCancellationRequested ? new EngineStoppedException() : new EngineQueueFullException(_options.MaxQueuedRequests);
        }
        return updates.Reader;
    }

    private void Loop()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Admit();
            ReleaseCancelled();
            if (_active.Count == 0)
            {
                WaitForWork();
                continue;
            }
            try
            {
                Step();
            }
            catch (Exception failure)
            {
                // Never let the engine thread die: that would hang every request.
                LogStepFailed(failure);
            }
            ReleaseFinished();
        }
    }

    /// <summary>One step: plan every tier's work inside its batch limit, execute the decodes, apply what was accepted.</summary>
    private void Step()
    {
        var planning = Stopwatch.GetTimestamp();
        var runnable = _memory.Runnable(_active);
        var plan = _planner.Plan(runnable);
        _metrics.RecordPhase(StepPhases.Plan, null, planning);
        StepOutcome outcome;
        try
        {
            outcome = _executor.Execute(plan);
        }
        catch (TierFullException full)
        {
            LogKvFull(full.Message);
            if (_memory.Relieve(_active, full.Tier) is { } hopeless)
            {
                _publisher.Finish(hopeless, FinishReason.Error, "", "The KV cache cannot hold this request even alone; raise the context size.");
            }
            return;
        }
        catch (Exception failure)
        {
            LogStepFailed(failure);
            Isolate(runnable.ToArray());
            return;
        }
        var applying = Stopwatch.GetTimestamp();
        FailEach(_applier.Apply(outcome));
        _telemetry.StepDone(plan, _ledger);
        _metrics.RecordPhase(StepPhases.Apply, null, applying);
    }

    /// <summary>
    /// A step failed for a reason other than memory: each sequence retries in a step of its own, so only the ones that
    /// fail again end with an error and the others keep running. Dropping the unverified tails first is exact.
    /// </summary>
    private void Isolate(Sequence[] runnable)
    {
        foreach (var sequence in runnable)
        {
            _ledger.DropTail(sequence);
        }
        foreach (var sequence in runnable)
        {
            try
            {
                FailEach(_applier.Apply(_executor.Execute(_planner.Plan([sequence]))));
            }
            catch (TierFullException)
            {
                _ledger.DropTail(sequence); // memory, not this sequence: the next step's pressure handling deals with it
            }
            catch (Exception failure)
            {
                LogSequenceFailed(sequence.Request.Id, failure);
                _publisher.Finish(sequence, FinishReason.Error, "", failure.Message);
            }
        }
    }

    private void FailEach(IReadOnlyList<(Sequence Sequence, Exception Failure)> failures)
    {
        foreach (var (sequence, failure) in failures)
        {
            LogSequenceFailed(sequence.Request.Id, failure);
            _publisher.Finish(sequence, FinishReason.Error, "", failure.Message);
        }
    }

    private void Admit()
    {
        while (_slots.HasFree && MemoryPressure.CanAdmit(_active) && _incoming.Reader.TryRead(out var pending))
        {
            Counters.AddWaiting(-1);
            if (pending.Cancellation.IsCancellationRequested)
            {
                pending.Updates.Writer.TryComplete();
                continue;
            }
            var (slot, cachedPrompt, source) = _slots.Acquire(pending.Request.PromptTokens, _options.ReusePrefixes ? _active : []);
            var text = new OutputText(_vocabulary, pending.Request.StopSequences, pending.Request.MaxTokens);
            var sequence = new Sequence(pending.Request, slot, cachedPrompt, _tiers.Target.VocabularySize, pending.Updates.Writer, text, _priors)
            {
                Cancellation = pending.Cancellation,
                SubmittedTimestamp = pending.SubmittedTimestamp,
                Grammar = pending.Request.Grammar is { } grammar ? new GrammarTrack(grammar.Compiled, _grammarVocabulary.Value) : null,
            };
            _active.Add(sequence);
            _telemetry.Admitted(sequence, source);
        }
        Counters.SetRunning(_active.Count);
        Counters.SetPromptCache(_promptCache.Bytes, _promptCache.Count);
    }

    private void ReleaseCancelled()
    {
        foreach (var sequence in _active)
        {
            if (!sequence.IsDone && sequence.Cancellation.IsCancellationRequested)
            {
                _publisher.Finish(sequence, FinishReason.Cancelled, "", null);
            }
        }
        ReleaseFinished();
    }

    private void ReleaseFinished()
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
                _slots.ReleaseEmpty(sequence);
            }
            else
            {
                _slots.Release(sequence);
            }
            _active.RemoveAt(i);
            released = true;
            if (sequence.State == SequenceState.Cancelled)
            {
                Counters.CountCancelled();
            }
        }
        Counters.SetRunning(_active.Count);
        if (released)
        {
            _telemetry.KvChanged(_ledger);
        }
        Counters.SetPromptCache(_promptCache.Bytes, _promptCache.Count); // memory pressure may have saved slots
    }

    private void WaitForWork()
    {
        try
        {
            _incoming.Reader.WaitToReadAsync(_stopping.Token).AsTask().Wait();
        }
        catch (AggregateException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>
    /// Stops the engine thread. Running and still queued requests alike get a final update (cancelled: the server
    /// answers 503), so no reader is left waiting; later submissions throw <see cref="EngineStoppedException"/>.
    /// </summary>
    public void Dispose()
    {
        // The server stops the engine at the end of a drain and again when it disposes the runtime: once is enough.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _stopping.Cancel();
        _thread.Join();
        foreach (var sequence in _active)
        {
            _publisher.Finish(sequence, FinishReason.Cancelled, "", null);
        }
        _incoming.Writer.TryComplete();
        _promptCache.Dispose();
        while (_incoming.Reader.TryRead(out var pending))
        {
            Counters.AddWaiting(-1);
            pending.Updates.Writer.TryWrite(new GenerationUpdate("", 0, FinishReason.Cancelled, Statistics: null, "The engine stopped before this request started."));
            pending.Updates.Writer.TryComplete();
        }
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "KV cache full: {Detail}")]
    private partial void LogKvFull(string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Engine step failed; each request retries alone, and those that fail again end with an error")]
    private partial void LogStepFailed(Exception failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} failed in the engine; the others go on")]
    private partial void LogSequenceFailed(string requestId, Exception failure);
}
