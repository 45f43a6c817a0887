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
    private readonly EngineOptions _options;
    private readonly ILogger _logger;
    private readonly KvLedger _ledger;
    private readonly TailKeeper _tails;
    private readonly Scheduler _scheduler;
    private readonly StepPlanner _planner;
    private readonly StepExecutor _executor;
    private readonly StepApplier _applier;
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
        _metrics = new EngineMetrics(meter, Counters);
        _telemetry = new EngineTelemetry(_metrics, Counters, tiers);
        _tiers = tiers;
        _grammarVocabulary = new Lazy<GrammarVocabulary>(() => new GrammarVocabulary(vocabulary, tiers.Target.VocabularySize));
        _options = options;
        _logger = logger;
        _ledger = new KvLedger(tiers, options.MaxSequences);
        _tails = new TailKeeper(_ledger, vocabulary);
        var publisher = new Publisher(_telemetry, options.ContextPerSequence, logger);
        _scheduler = new Scheduler(
            tiers, vocabulary, options, _ledger, _tails, publisher, _telemetry, _metrics, Counters, () => _grammarVocabulary.Value, logger);
        _planner = new StepPlanner(tiers, _ledger, planner, options);
        _executor = new StepExecutor(tiers, _ledger, _tails, vocabulary, rule, _metrics, options.DraftMinConfidence, planner.Curves);
        _applier = new StepApplier(_tails, _metrics, publisher);
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
        if (!_scheduler.TryEnqueue(pending))
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
            // Every call here is isolated: the engine thread must never die, since that would hang every request.
            // Admission isolates each request's own native calls, so a failure there fails that request only.
            try
            {
                _scheduler.Admit();
                _scheduler.CancelAbandoned();
                if (!_scheduler.HasActive)
                {
                    WaitForWork();
                    continue;
                }
                Step();
            }
            catch (Exception failure)
            {
                LogStepFailed(failure);
            }
            Guard(_scheduler.ReleaseEnded);
        }
    }

    /// <summary>One step: plan every tier's work inside its batch limit, execute the decodes, apply what was accepted.</summary>
    private void Step()
    {
        var planning = Stopwatch.GetTimestamp();
        var runnable = _scheduler.Schedule();
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
            _scheduler.Relieve(full.Tier);
            return;
        }
        catch (Exception failure)
        {
            LogStepFailed(failure);
            Isolate(runnable);
            return;
        }
        var applying = Stopwatch.GetTimestamp();
        Settle(_applier.Apply(outcome));
        _telemetry.StepDone(plan, _ledger);
        _metrics.RecordPhase(StepPhases.Apply, null, applying);
    }

    /// <summary>
    /// A step failed for a reason other than memory: each sequence retries in a step of its own, so only the ones that
    /// fail again end with an error and the others keep running. Dropping the unverified tails first is exact.
    /// </summary>
    private void Isolate(IReadOnlyList<Sequence> runnable)
    {
        foreach (var sequence in runnable)
        {
            _tails.Drop(sequence);
        }
        foreach (var sequence in runnable)
        {
            try
            {
                Settle(_applier.Apply(_executor.Execute(_planner.Plan([sequence]))));
            }
            catch (TierFullException)
            {
                _tails.Drop(sequence); // memory, not this sequence: the next step's pressure handling deals with it
            }
            catch (Exception failure)
            {
                LogSequenceFailed(sequence.Request.Id, failure);
                _scheduler.End(sequence, Ending.Failure(failure.Message));
            }
        }
    }

    /// <summary>Hands what apply found to the scheduler: the sequences that ended, and those whose own apply failed.</summary>
    private void Settle(ApplyResult result)
    {
        foreach (var (sequence, ending) in result.Endings)
        {
            _scheduler.End(sequence, ending);
        }
        foreach (var (sequence, failure) in result.Failures)
        {
            LogSequenceFailed(sequence.Request.Id, failure);
            _scheduler.End(sequence, Ending.Failure(failure.Message));
        }
    }

    private void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (Exception failure)
        {
            LogStepFailed(failure);
        }
    }

    private void WaitForWork()
    {
        try
        {
            _scheduler.WaitForWorkAsync(_stopping.Token).AsTask().Wait();
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
        _scheduler.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "KV cache full: {Detail}")]
    private partial void LogKvFull(string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Engine step failed; each request retries alone, and those that fail again end with an error")]
    private partial void LogStepFailed(Exception failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} failed in the engine; the others go on")]
    private partial void LogSequenceFailed(string requestId, Exception failure);
}
