using System.ComponentModel.DataAnnotations;

namespace Momo.Server.Configuration;

/// <summary>
/// Request limits, section "Momo:Limits". Each breach is a 400 (or 413 for the body) whose message names the
/// setting, so a client knows what to shrink and an operator knows what to raise.
/// </summary>
internal sealed class LimitOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Momo:Limits";

    /// <summary>Largest request body in bytes (413 beyond it). An agent's 40k-character prompt plus a dozen tools is ~100 KB.</summary>
    [Range(1024, 1L << 30)]
    public long MaxBodyBytes { get; set; } = 4L << 20;

    /// <summary>Most chat messages in one request.</summary>
    [Range(1, 1_000_000)]
    public int MaxMessages { get; set; } = 1024;

    /// <summary>Most prompt tokens after tokenization; null = the context size less one completion token.</summary>
    [Range(1, 1 << 24)]
    public int? MaxPromptTokens { get; set; }

    /// <summary>Largest max_tokens / max_completion_tokens a client may ask for; null = no cap beyond the context.</summary>
    [Range(1, 1 << 24)]
    public int? MaxTokensCap { get; set; }

    /// <summary>Most stop strings.</summary>
    [Range(1, 1024)]
    public int MaxStopSequences { get; set; } = 16;

    /// <summary>Longest stop string, in characters.</summary>
    [Range(1, 1 << 20)]
    public int MaxStopLength { get; set; } = 256;

    /// <summary>Most logit_bias entries.</summary>
    [Range(1, 1 << 20)]
    public int MaxLogitBias { get; set; } = 1024;

    /// <summary>Most tools in one request.</summary>
    [Range(1, 100_000)]
    public int MaxTools { get; set; } = 128;

    /// <summary>Largest single tool definition (name, description and parameter schema) as JSON, in bytes.</summary>
    [Range(64, 1 << 26)]
    public int MaxToolSchemaBytes { get; set; } = 64 << 10;

    /// <summary>Most responses kept in memory for previous_response_id (POST /v1/responses with store true); the oldest is forgotten first.</summary>
    [Range(1, 1_000_000)]
    public int MaxStoredResponses { get; set; } = 256;
}
