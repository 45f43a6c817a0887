using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Momo.Bench.Measurement;
using Momo.Engine;
using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Engine.Runtime;
using Momo.Engine.Sampling;
using Momo.Engine.Speculation;
using Momo.Engine.Telemetry;

namespace Momo.Bench.Targets;

/// <summary>
/// The engine in this process, composed as the server composes it (tiers, measured cost curves, planner, engine).
/// Cost curves are measured before the run and again after it, and averaged, so drift during the run is shared.
/// </summary>
internal sealed class InProcessTarget : IBenchTarget
{
    private readonly TierSet _tiers;
    private readonly IModelText _text;
    private readonly Meter _meter = new(EngineMetrics.MeterName);
    private readonly int _maxSequences;
    private readonly int _repetitions;
    private InferenceEngine? _engine;
    private readonly double[]?[] _before;

    /// <summary>Loads the three files, measures cost curves and starts an engine for up to <paramref name="maxSequences"/> sequences.</summary>
    public InProcessTarget(string description, string draftPath, string qualifierPath, string targetPath, int maxSequences,
        int contextPerSequence, int? threads, int calibrationRepetitions)
    {
        Description = description;
        _maxSequences = maxSequences;
        _repetitions = calibrationRepetitions;
        (_tiers, _text) = LoadedTiers.Load(draftPath, qualifierPath, targetPath, contextPerSequence, maxSequences, threads);
        _before = TierCostCalibration.Measure(_tiers, calibrationRepetitions);
        CostCurves = _before;
        Calibrations = (_before, null);
        Recorder = new AcceptanceRecorder(_meter);
        Phases = new PhaseRecorder(_meter);
        _engine = new InferenceEngine(_tiers, _text,
            new EngineOptions(maxSequences, contextPerSequence, MaxQueuedRequests: 256, ReusePrefixes: false),
            DraftLengthPlanner.FromMeasurements(_before), _meter, NullLogger.Instance);
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public IReadOnlyList<double[]?>? CostCurves { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<int> EndTokens => [.. Enumerable.Range(0, _text.Count).Where(_text.IsEndOfGeneration)];

    /// <summary>Curves measured before the run (the planner's input) and after it (null until <see cref="FinishAndRecalibrate"/>).</summary>
    public (double[]?[] Before, double[]?[]? After) Calibrations { get; private set; }

    /// <summary>Hears the engine's per-stage verifications.</summary>
    public AcceptanceRecorder Recorder { get; }

    /// <summary>Hears the engine's step profile.</summary>
    public PhaseRecorder Phases { get; }

    /// <inheritdoc />
    public async Task<RequestResult> RunAsync(BenchRequest request, double sentAt, CancellationToken cancellation)
    {
        var engine = _engine ?? throw new ObjectDisposedException(nameof(InProcessTarget));
        var tokens = request.Set == "chat"
            ? _text.Tokenize(_text.RenderChat([("user", request.Prompt)]), addBos: true, parseSpecial: true)
            : _text.Tokenize(request.Prompt, addBos: true, parseSpecial: false);
        var sampling = new SamplingParameters
        {
            Temperature = (float)Math.Max(0, request.Temperature),
            Seed = request.Seed,
            LogitBias = (request.BannedTokens ?? []).ToDictionary(id => id, _ => -100f),
        };
        var generation = new GenerationRequest($"bench-{Guid.NewGuid():N}", tokens, sampling, request.MaxTokens, [],
            new SpeculationSettings(request.Mode, request.DraftTokens, request.QualifiedTokens));
        var started = Stopwatch.GetTimestamp();
        var reader = engine.Submit(generation, cancellation);
        double? first = null;
        var last = 0.0;
        var firstTokens = 0;
        var text = new StringBuilder();
        await foreach (var update in reader.ReadAllAsync(cancellation))
        {
            if (update.NewTokens > 0)
            {
                last = Stopwatch.GetElapsedTime(started).TotalSeconds;
                if (first is null)
                {
                    first = last;
                    firstTokens = update.NewTokens;
                }
            }
            text.Append(update.Text);
            if (update.Finish is { } finish)
            {
                if (finish == FinishReason.Error)
                {
                    throw new InvalidOperationException($"the engine failed a request: {update.Error}");
                }
                var statistics = update.Statistics;
                return new RequestResult(request.Mode, request.Set, statistics?.CompletionTokens ?? 0,
                    first ?? last, last, sentAt, text.ToString(), statistics, Math.Max(1, firstTokens), statistics?.PromptTokens ?? 0);
            }
        }
        throw new InvalidOperationException("the engine closed a request without finishing it");
    }

    /// <summary>Stops the engine, measures the curves again on the idle tiers and reports the mean of both.</summary>
    public void FinishAndRecalibrate()
    {
        _engine?.Dispose();
        _engine = null;
        // The prefix cache may hold KV in any sequence; calibration needs every sequence empty.
        for (var t = 0; t < TierSet.Count; t++)
        {
            for (var s = 0; s < _maxSequences; s++)
            {
                _tiers[(Tier)t]?.Truncate(s, 0);
            }
        }
        var after = TierCostCalibration.Measure(_tiers, _repetitions);
        Calibrations = (_before, after);
        CostCurves = _before.Select((b, t) => b is null || after[t] is not { } a ? b : b.Zip(a, (x, y) => (x + y) / 2).ToArray()).ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _engine?.Dispose();
        Recorder.Dispose();
        Phases.Dispose();
        _tiers.Dispose();
        _meter.Dispose();
    }
}
