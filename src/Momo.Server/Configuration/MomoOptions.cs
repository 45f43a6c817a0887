using System.ComponentModel.DataAnnotations;
using Momo.Engine.Runtime;

namespace Momo.Server.Configuration;

/// <summary>
/// Server configuration, section "Momo" of models.json / appsettings / environment (Momo__Target__Path=...).
/// With no target path the server forges and serves the demo model family.
/// </summary>
internal sealed class MomoOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Momo";

    /// <summary>Model id clients name in requests and /v1/models lists.</summary>
    [Required]
    public string ModelId { get; set; } = "momo-pyramid";

    /// <summary>The model whose distribution the output follows (required unless serving the demo).</summary>
    public TierOptions? Target { get; set; }

    /// <summary>The middle tier (pyramid).</summary>
    public TierOptions? Qualifier { get; set; }

    /// <summary>The smallest tier.</summary>
    public TierOptions? Draft { get; set; }

    /// <summary>
    /// Most tokens one sequence holds (prompt + completion). Unset: the smallest tier's trained context, capped so that
    /// MaxSequences full sequences fit <see cref="KvBudgetMiB"/> (the demo family: 4096). A value above the trained
    /// context is clamped to it with a warning.
    /// </summary>
    [Range(64, 1 << 20)]
    public int? ContextSize { get; set; }

    /// <summary>Memory the KV caches of all tiers may take when ContextSize is chosen automatically; unset: half of the
    /// machine's (or container's) memory. Set it to the GPU's spare memory when the models run there.</summary>
    [Range(64, 1 << 24)]
    public int? KvBudgetMiB { get; set; }

    /// <summary>Sequences decoded at once (continuous batching); each tier's KV holds ContextSize × this.</summary>
    [Range(1, 256)]
    public int MaxSequences { get; set; } = 8;

    /// <summary>Requests that may wait for a sequence (at least 1); beyond it the server answers 429.</summary>
    [Range(1, 100_000)]
    public int MaxQueuedRequests { get; set; } = 64;

    /// <summary>Most tokens per decode call (llama.cpp n_batch).</summary>
    [Range(32, 65_536)]
    public int BatchTokens { get; set; } = 2048;

    /// <summary>Prompt tokens each tier prefills per engine step.</summary>
    [Range(16, 65_536)]
    public int PrefillTokensPerStep { get; set; } = 256;

    /// <summary>Longest time one request may generate before it is stopped and answered 408; 0 = no limit.</summary>
    [Range(0, 86_400)]
    public int RequestTimeoutSeconds { get; set; } = 600;

    /// <summary>A stream that has sent nothing for this long (a long prompt still prefilling, a queue) sends a keep-alive: an
    /// SSE comment, or Anthropic's <c>ping</c> on /v1/messages, so clients and proxies with idle timeouts wait; 0 = never.</summary>
    [Range(0, 3_600)]
    public int StreamKeepAliveSeconds { get; set; } = 15;

    /// <summary>A draft round stops after a proposal the draft gives less than this probability (0, the default, = never stops early; llama.cpp's draft p_min, e.g. 0.75).</summary>
    [Range(0.0, 1.0)]
    public double DraftMinConfidence { get; set; } = Engine.EngineOptions.DefaultDraftMinConfidence;

    /// <summary>Reuse the KV of shared prompt prefixes across requests (system prompts, continued conversations).</summary>
    public bool ReusePrefixes { get; set; } = true;

    /// <summary>
    /// Host memory (MiB) for the prompt cache: a slot's KV, every tier, is copied there before another request takes the
    /// slot, and written back for a later prompt that starts the same way, so more conversations than MaxSequences keep
    /// their prefixes (llama-server's --cache-ram). 0 turns it off; it needs ReusePrefixes. Unset: an eighth of the
    /// machine's (or container's) memory, at most 4096 MiB, so a small container is not pushed past its limit.
    /// </summary>
    [Range(0, 1 << 24)]
    public int? PromptCacheMiB { get; set; }

    /// <summary>The host prompt cache's size in bytes: <see cref="PromptCacheMiB"/>, or its default.</summary>
    public long PromptCacheBytes => PromptCacheMiB is { } mib
        ? mib * 1024L * 1024L
        : Math.Min(4096L * 1024 * 1024, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8);

    /// <summary>CPU threads per decode; null uses every logical processor.</summary>
    [Range(1, 1024)]
    public int? Threads { get; set; }

    /// <summary>Auto (llama.cpp's choice per device), Enabled or Disabled: llama.cpp's flash-attention kernel in every tier.</summary>
    public FlashAttentionMode FlashAttention { get; set; } = FlashAttentionMode.Auto;

    /// <summary>pyramid, two_tier or target_only: used when a request does not say.</summary>
    [Required]
    public string DefaultMode { get; set; } = "auto";

    /// <summary>Where the demo family is forged when no target is configured.</summary>
    public string? DemoDirectory { get; set; }

    /// <summary>The forged preset served when no target is configured: <c>demo</c> (the Momotaro tale) or another
    /// built-in one, e.g. <c>agent</c> (tool-calling turns in the Hermes format, a fixture for agent clients).</summary>
    [Required]
    public string DemoFamily { get; set; } = "demo";

    /// <summary>Log prompt and completion text (off: only counts are logged).</summary>
    public bool LogText { get; set; }

    /// <summary>
    /// A llama.cpp build to load instead of the bundled one: its folder (a shared-library build of the llama.cpp commit LLamaSharp binds) or its
    /// libllama.so. It must be the llama.cpp commit LLamaSharp binds; start-up refuses anything else. Unset or empty:
    /// the bundled build.
    /// </summary>
    public string? NativeLibraryPath { get; set; }

    /// <summary>The configuration key of <see cref="NativeLibraryPath"/>, for messages.</summary>
    public const string NativeLibraryPathKey = Section + ":" + nameof(NativeLibraryPath);

    /// <summary>API keys clients send as <c>Authorization: Bearer KEY</c> on /v1/*; none = no authentication.</summary>
    public IReadOnlyList<string>? ApiKeys { get; set; }

    /// <summary>A file with more API keys, one a line (blank lines and lines starting with # are skipped).</summary>
    public string? ApiKeyFile { get; set; }

    /// <summary>With keys set, /health needs one too (default: open, for load balancers and probes).</summary>
    public bool AuthenticateHealth { get; set; }

    /// <summary>With keys set, /alive needs one too (default: open).</summary>
    public bool AuthenticateAlive { get; set; }

    /// <summary>With keys set, /metrics needs one too (default: open, for Prometheus).</summary>
    public bool AuthenticateMetrics { get; set; }

    /// <summary>Requests one key may have in flight at once (429 beyond it); 0 = no limit.</summary>
    [Range(0, 1_000_000)]
    public int MaxConcurrentRequestsPerKey { get; set; }
}

/// <summary>One tier's model file and placement.</summary>
internal sealed class TierOptions
{
    /// <summary>Path of the GGUF file.</summary>
    [Required]
    public string Path { get; set; } = "";

    /// <summary>Layers offloaded to the GPU: -1 all (default), 0 none.</summary>
    public int GpuLayers { get; set; } = -1;

    /// <summary>
    /// KV cells of this tier's context; default ContextSize × MaxSequences (every sequence at full length). Smaller
    /// values save memory: the engine then evicts cached prefixes, degrades modes or preempts under pressure.
    /// </summary>
    [Range(64, 1 << 24)]
    public int? KvCells { get; set; }
}
