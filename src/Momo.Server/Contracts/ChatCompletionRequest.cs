using System.Text.Json;
using System.Text.Json.Serialization;

namespace Momo.Server.Contracts;

/// <summary>Body of POST /v1/chat/completions (OpenAI), plus the <c>speculative</c> extension.</summary>
internal sealed class ChatCompletionRequest : GenerationParameters
{
    /// <summary>The conversation.</summary>
    public List<ChatMessage>? Messages { get; init; }
}

/// <summary>Body of POST /v1/completions (OpenAI legacy completions).</summary>
internal sealed class CompletionRequest : GenerationParameters
{
    /// <summary>Prompt text (a string, or an array holding one string).</summary>
    [JsonConverter(typeof(StringOrArrayConverter))]
    public List<string>? Prompt { get; init; }
}

/// <summary>
/// One chat message. <c>content</c> may be a string, null (an assistant turn that only calls tools) or an array of
/// text parts; assistant turns may carry <c>tool_calls</c>, and <c>tool</c> turns answer one by <c>tool_call_id</c>.
/// </summary>
internal sealed class ChatMessage
{
    /// <summary>system, developer (treated as system), user, assistant or tool.</summary>
    public string? Role { get; init; }

    /// <summary>Message text; an array of text parts is joined.</summary>
    [JsonConverter(typeof(MessageContentConverter))]
    public MessageContent? Content { get; init; }

    /// <summary>Optional author name (accepted, not used; on a tool message, the function's name).</summary>
    public string? Name { get; init; }

    /// <summary>The calls an assistant turn made.</summary>
    public List<RequestToolCall>? ToolCalls { get; init; }

    /// <summary>On a tool message: the id of the call it answers.</summary>
    public string? ToolCallId { get; init; }
}

/// <summary>
/// Message content as read: the text of its text parts, and the first part of another type (image_url,
/// input_audio, file), which the endpoint refuses naming its index.
/// </summary>
internal sealed record MessageContent(string Text, string? UnsupportedPartType = null, int UnsupportedPartIndex = -1);

/// <summary>A tool call in an assistant message of the history.</summary>
internal sealed class RequestToolCall
{
    /// <summary>The call's id, which a later tool message names.</summary>
    public string? Id { get; init; }

    /// <summary>Always function.</summary>
    public string? Type { get; init; }

    /// <summary>The function called and its arguments.</summary>
    public RequestFunctionCall? Function { get; init; }
}

/// <summary>The function of a tool call in the history.</summary>
internal sealed class RequestFunctionCall
{
    /// <summary>Function name.</summary>
    public string? Name { get; init; }

    /// <summary>Arguments as a JSON text, exactly as the model wrote them.</summary>
    public string? Arguments { get; init; }
}

/// <summary>Sampling and control parameters shared by both generation endpoints.</summary>
internal abstract class GenerationParameters
{
    /// <summary>Model id; must be the served model's id or one of its aliases.</summary>
    public string? Model { get; init; }

    /// <summary>Most completion tokens.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Newer name of <see cref="MaxTokens"/>; wins when both are given.</summary>
    public int? MaxCompletionTokens { get; init; }

    /// <summary>0 = greedy; up to 2.</summary>
    public double? Temperature { get; init; }

    /// <summary>Nucleus sampling mass, (0, 1].</summary>
    public double? TopP { get; init; }

    /// <summary>Keep the k most likely tokens; 0 = off.</summary>
    public int? TopK { get; init; }

    /// <summary>Drop tokens below this fraction of the top probability; [0, 1].</summary>
    public double? MinP { get; init; }

    /// <summary>Seed for reproducible sampling.</summary>
    public long? Seed { get; init; }

    /// <summary>Stop strings: a string or an array of strings.</summary>
    [JsonConverter(typeof(StringOrArrayConverter))]
    public List<string>? Stop { get; init; }

    /// <summary>[-2, 2].</summary>
    public double? PresencePenalty { get; init; }

    /// <summary>[-2, 2].</summary>
    public double? FrequencyPenalty { get; init; }

    /// <summary>Token id (as a string) → bias in [-100, 100].</summary>
    public Dictionary<string, double>? LogitBias { get; init; }

    /// <summary>Stream the answer as server-sent events.</summary>
    public bool? Stream { get; init; }

    /// <summary>Streaming options.</summary>
    public StreamOptions? StreamOptions { get; init; }

    /// <summary>End-user id (logged, not used).</summary>
    public string? User { get; init; }

    /// <summary>Number of choices; only 1 is supported.</summary>
    public int? N { get; init; }

    /// <summary>Extension: the speculative decoding mode and draft lengths for this request.</summary>
    public SpeculativeOptions? Speculative { get; init; }

    /// <summary>Unknown fields are accepted and ignored, as OpenAI-compatible servers do.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>stream_options.</summary>
internal sealed class StreamOptions
{
    /// <summary>Send a final chunk with usage and empty choices.</summary>
    public bool? IncludeUsage { get; init; }
}

/// <summary>The <c>speculative</c> extension field.</summary>
internal sealed class SpeculativeOptions
{
    /// <summary>auto, pyramid, two_tier or target_only.</summary>
    public string? Mode { get; init; }

    /// <summary>γ₁: draft tokens per round, 1–16; omitted = adaptive.</summary>
    public int? DraftTokens { get; init; }

    /// <summary>γ₂: qualified tokens per target call (pyramid), 1–32; omitted = adaptive.</summary>
    public int? QualifiedTokens { get; init; }

    /// <summary>Relaxed qualifier, pyramid only: total-variation threshold in [0, 1] under which the qualifier accepts a draft token outright. The output stays exact (the target verifies each token against the distribution it was truly drawn from).</summary>
    public double? FuzzyThreshold { get; init; }

    /// <summary>Prompt lookup under the chain (free proposals from earlier occurrences of the latest tokens); omitted = on in auto, off otherwise.</summary>
    public bool? Lookup { get; init; }

    /// <summary>Most tokens one lookup proposes, 1–32; omitted = as many as fit.</summary>
    public int? LookupTokens { get; init; }
}
