using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Momo.Engine.Decoding;
using Momo.Engine.Publishing;
using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;
using Momo.Engine.Speculation;
using Momo.Engine.Telemetry;
using Momo.Grammar;
using Momo.Grammar.Masks;

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
    private readonly Scheduler _scheduler;
    private readonly StepRunner _steps;
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
        var telemetry = new EngineTelemetry(metrics, Counters, tiers);
        _tiers = tiers;
        _grammarVocabulary = new Lazy<GrammarVocabulary>(() => new GrammarVocabulary(tiers.Target.VocabularySize, t => vocabulary.Piece(t).ToArray(), vocabulary.IsEndOfGeneration));
        _options = options;
        _logger = logger;
        _ledger = new KvLedger(tiers, options.MaxSequences);
        var tails = new TailKeeper(_ledger, vocabulary);
        var publisher = new Publisher(telemetry, options.ContextPerSequence, logger);
        _scheduler = new Scheduler(
            tiers, vocabulary, options, _ledger, tails, publisher, telemetry, metrics, Counters, () => _grammarVocabulary.Value, logger);
        _steps = new StepRunner(
            _scheduler,
            new StepPlanner(tiers, _ledger, planner, options),
            new StepExecutor(tiers, _ledger, tails, vocabulary, rule, metrics, options.DraftMinConfidence, planner.Curves),
            new StepApplier(tails, metrics, publisher),
            tails, _ledger, telemetry, metrics, logger);
        Stopping = _stopping.Token;
        _thread = new Thread(Loop) { IsBackground = true, Name = "momo-engine" };
        _thread.Start();
    }

    /// <summary>
    /// Cancelled when <see cref="Dispose"/> starts to stop the engine thread, before it waits for that thread: a tier
    /// call that blocks on something outside the engine (a test's decode gate) listens to it, so the thread can stop.
    /// </summary>
    public CancellationToken Stopping { get; }

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
    /// <see cref="GrammarException"/> when the request's grammar cannot be compiled. The reader
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
            grammar.Compile(); // a grammar that cannot be compiled throws GrammarException here
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
                _steps.Run();
            }
            catch (Exception failure)
            {
                LogLoopFailed(failure);
            }
            Guard(_scheduler.ReleaseEnded);
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
            LogLoopFailed(failure);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Engine loop failed; it goes on with the next step")]
    private partial void LogLoopFailed(Exception failure);
}
