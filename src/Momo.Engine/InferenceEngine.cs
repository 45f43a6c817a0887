using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Momo.Engine.Decoding;
using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;
using Momo.Engine.Speculation;
using Momo.Engine.Telemetry;

namespace Momo.Engine;

/// <summary>
/// The engine: one thread owns every native context and runs schedule → execute → update steps over all active
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
    private readonly SlotCache _slots;
    private readonly List<Sequence> _active = [];
    private readonly List<(Sequence Sequence, int FirstNew)> _committed = [];
    private readonly StepExecutor _executor;
    private readonly MemoryPressure _memory;
    private readonly EngineTelemetry _telemetry;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;

    /// <summary>Creates the engine and starts its thread; instruments are created on <paramref name="meter"/>.</summary>
    public InferenceEngine(TierSet tiers, ITokenText vocabulary, EngineOptions options, DraftLengthPlanner planner, Meter meter, ILogger logger)
    {
        var metrics = new EngineMetrics(meter, Counters);
        _telemetry = new EngineTelemetry(metrics, Counters, tiers);
        _tiers = tiers;
        _vocabulary = vocabulary;
        _options = options;
        _logger = logger;
        _incoming = Channel.CreateBounded<PendingRequest>(new BoundedChannelOptions(options.MaxQueuedRequests)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _slots = new SlotCache(tiers, options.MaxSequences);
        var roundPlanner = new RoundPlanner(planner, options.ContextPerSequence);
        _executor = new StepExecutor(tiers, vocabulary, roundPlanner, options.PrefillTokensPerStep, metrics);
        _memory = new MemoryPressure(tiers, _slots, metrics);
        _thread = new Thread(Loop) { IsBackground = true, Name = "momo-engine" };
        _thread.Start();
    }

    /// <summary>Live counts.</summary>
    public EngineCounters Counters { get; } = new();

    /// <summary>The engine's options.</summary>
    public EngineOptions Options => _options;

    /// <summary>Modes the loaded tiers can serve.</summary>
    public bool Supports(DecodingMode mode) => _tiers.Supports(mode);

    /// <summary>
    /// Queues a request. Throws <see cref="EngineQueueFullException"/> when the waiting queue is full. The reader
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
        if (!_tiers.Supports(request.Speculation.Mode))
        {
            throw new ArgumentException($"Mode '{request.Speculation.Mode.ToApiName()}' needs tiers that are not loaded.");
        }
        var updates = Channel.CreateUnbounded<GenerationUpdate>(new UnboundedChannelOptions { SingleWriter = true });
        var pending = new PendingRequest(request, updates, Stopwatch.GetTimestamp(), cancellation);
        if (!_incoming.Writer.TryWrite(pending))
        {
            throw new EngineQueueFullException(_options.MaxQueuedRequests);
        }
        Counters.AddWaiting(1);
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
                _telemetry.StepDone(_active, _slots);
            }
            catch (Exception failure)
            {
                // Never let the engine thread die: that would hang every request.
                LogStepFailed(failure);
            }
            ReleaseFinished();
        }
    }

    private void Step()
    {
        _committed.Clear();
        var runnable = _memory.Runnable(_active);
        try
        {
            _executor.Run(runnable, _committed);
        }
        catch (KvCacheFullException full)
        {
            LogKvFull(full.Message);
            if (_memory.Relieve(_active, full) is { } hopeless)
            {
                Finish(hopeless, FinishReason.Error, "", "The KV cache cannot hold this request even alone; raise the context size.");
            }
            return;
        }
        catch (Exception failure)
        {
            LogStepFailed(failure);
            foreach (var sequence in runnable)
            {
                Finish(sequence, FinishReason.Error, "", failure.Message);
            }
            return;
        }
        foreach (var (sequence, firstNew) in _committed)
        {
            Publish(sequence, firstNew);
        }
    }

    private void Publish(Sequence sequence, int firstNew)
    {
        var countedBefore = sequence.Text.CompletionTokens;
        var (text, finish) = sequence.Text.Accept(sequence.Working[firstNew..sequence.CommittedLength]);
        if (finish is null && sequence.WorkingLength >= _options.ContextPerSequence)
        {
            (text, finish) = (text + sequence.Text.FlushAll(), FinishReason.Length);
        }
        var newTokens = sequence.Text.CompletionTokens - countedBefore;
        _telemetry.TokensPublished(sequence, newTokens);
        if (finish is { } reason)
        {
            Finish(sequence, reason, text, null, newTokens);
            return;
        }
        sequence.Output.TryWrite(new GenerationUpdate(text, newTokens));
    }

    private void Finish(Sequence sequence, FinishReason reason, string text, string? error, int newTokens = 0)
    {
        if (sequence.Finished)
        {
            return;
        }
        sequence.Finished = true;
        sequence.Failed = reason == FinishReason.Error;
        sequence.Output.TryWrite(new GenerationUpdate(text, newTokens, reason, sequence.Statistics(), error));
        sequence.Output.TryComplete();
        _telemetry.Finished(sequence, reason);
    }

    private void Admit()
    {
        while (_slots.HasFree && _memory.CanAdmit(_active) && _incoming.Reader.TryRead(out var pending))
        {
            Counters.AddWaiting(-1);
            if (pending.Cancellation.IsCancellationRequested)
            {
                pending.Updates.Writer.TryComplete();
                continue;
            }
            var (slot, cachedKv) = _slots.Acquire(pending.Request.PromptTokens, _options.ReusePrefixes ? _active : []);
            var text = new OutputText(_vocabulary, pending.Request.StopSequences, pending.Request.MaxTokens);
            var sequence = new Sequence(pending.Request, slot, cachedKv, _tiers.Target.VocabularySize, pending.Updates.Writer, text)
            {
                Cancellation = pending.Cancellation,
                SubmittedTimestamp = pending.SubmittedTimestamp,
            };
            _active.Add(sequence);
            _telemetry.Admitted(sequence);
        }
        Counters.SetRunning(_active.Count);
    }

    private void ReleaseCancelled()
    {
        foreach (var sequence in _active)
        {
            if (!sequence.Finished && sequence.Cancellation.IsCancellationRequested)
            {
                sequence.Cancelled = true;
                Finish(sequence, FinishReason.Cancelled, "", null);
            }
        }
        ReleaseFinished();
    }

    private void ReleaseFinished()
    {
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            var sequence = _active[i];
            if (!sequence.Finished)
            {
                continue;
            }
            if (sequence.Failed || !_options.ReusePrefixes)
            {
                _slots.ReleaseEmpty(sequence);
            }
            else
            {
                _slots.Release(sequence);
            }
            _active.RemoveAt(i);
            if (sequence.Cancelled)
            {
                Counters.CountCancelled();
            }
        }
        Counters.SetRunning(_active.Count);
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

    /// <summary>Stops the engine thread; pending requests end as cancelled.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _thread.Join();
        foreach (var sequence in _active)
        {
            Finish(sequence, FinishReason.Cancelled, "", null);
        }
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "KV cache full: {Detail}")]
    private partial void LogKvFull(string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Engine step failed; the affected requests end with an error")]
    private partial void LogStepFailed(Exception failure);
}
