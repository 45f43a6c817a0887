using Momo.Engine;
using Momo.Engine.Requests;
using Momo.Engine.Runtime;
using Momo.Engine.Speculation;
using Momo.Server.Configuration;

namespace Momo.Server.Hosting;

/// <summary>The loaded tiers and the engine that serves them: everything the endpoints need once loading is done.</summary>
internal sealed class ModelRuntime : IDisposable
{
    private readonly TierSet _tiers;

    private ModelRuntime(
        string modelId, TierSet tiers, IModelText text, InferenceEngine engine, DecodingMode defaultMode, ResolvedTiers files,
        TimeSpan? requestTimeout, TimeProvider clock)
    {
        RequestTimeout = requestTimeout;
        Clock = clock;
        ModelId = modelId;
        _tiers = tiers;
        Text = text;
        Engine = engine;
        DefaultMode = defaultMode;
        Files = files;
    }

    /// <summary>The id clients use.</summary>
    public string ModelId { get; }

    /// <summary>The target's tokenizer and chat template: they serve every request.</summary>
    public IModelText Text { get; }

    /// <summary>The engine.</summary>
    public InferenceEngine Engine { get; }

    /// <summary>Mode for requests that do not choose one.</summary>
    public DecodingMode DefaultMode { get; }

    /// <summary>The files behind each tier.</summary>
    public ResolvedTiers Files { get; }

    /// <summary>Longest time a request may generate, or null for no limit.</summary>
    public TimeSpan? RequestTimeout { get; }

    /// <summary>The clock <see cref="RequestTimeout"/> runs on (the system's, unless a test's hook gives its own).</summary>
    public TimeProvider Clock { get; }

    /// <summary>Tokens one sequence may hold.</summary>
    public int ContextSize => Engine.Options.ContextPerSequence;

    /// <summary>Validates the files, loads every configured tier with <paramref name="contextSize"/> tokens per sequence
    /// and starts the engine; <paramref name="hooks"/> (tests only) wrap the tiers and set the clock.</summary>
    public static ModelRuntime Load(
        MomoOptions options, ResolvedTiers files, int contextSize, System.Diagnostics.Metrics.Meter meter, ILoggerFactory logs,
        RuntimeHooks? hooks = null)
    {
        var (tiers, text) = TierSetLoader.Load(
            TierOptions(Tier.Target, files.Target, options, contextSize),
            files.Qualifier is { } q ? TierOptions(Tier.Qualifier, q, options, contextSize) : null,
            files.Draft is { } d ? TierOptions(Tier.Draft, d, options, contextSize) : null);
        try
        {
            var engineOptions = new EngineOptions(
                options.MaxSequences, contextSize, options.MaxQueuedRequests, options.PrefillTokensPerStep, options.ReusePrefixes,
                DraftMinConfidence: (float)options.DraftMinConfidence, PromptCacheBytes: options.PromptCacheBytes);
            var costs = TierCostCalibration.Measure(tiers);
            TierCostLog.Write(logs.CreateLogger<ModelRuntime>(), costs);
            var engine = new InferenceEngine(
                hooks?.EngineTiers(tiers) ?? tiers, text, engineOptions, DraftLengthPlanner.FromMeasurements(costs), meter, logs.CreateLogger<InferenceEngine>());
            // Options validation has checked the name; a mode the loaded tiers cannot serve falls back to target_only.
            var mode = DecodingModeNames.TryParse(options.DefaultMode, out var configured) && tiers.Supports(configured)
                ? configured
                : DecodingMode.TargetOnly;
            var timeout = options.RequestTimeoutSeconds > 0 ? TimeSpan.FromSeconds(options.RequestTimeoutSeconds) : (TimeSpan?)null;
            return new ModelRuntime(options.ModelId, tiers, text, engine, mode, files, timeout, hooks?.Clock ?? TimeProvider.System);
        }
        catch
        {
            tiers.Dispose();
            throw;
        }
    }

    private static TierLoadOptions TierOptions(Tier name, TierOptions tier, MomoOptions options, int contextSize) => new(
        name.ToName(),
        tier.Path,
        tier.GpuLayers,
        KvCells: tier.KvCells ?? (contextSize * options.MaxSequences),
        options.MaxSequences,
        options.Threads,
        options.BatchTokens,
        options.FlashAttention);

    /// <inheritdoc />
    public void Dispose()
    {
        Engine.Dispose();
        _tiers.Dispose();
    }
}

/// <summary>The tier files the server will load (configured, or the forged demo family).</summary>
internal sealed record ResolvedTiers(TierOptions Target, TierOptions? Qualifier, TierOptions? Draft, bool IsDemo);
