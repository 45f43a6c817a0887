using System.Text.Json;
using System.Text.Json.Serialization;
using Momo.Server.Contracts;

namespace Momo.Server.Dialects.Messages;

/// <summary>
/// Body of POST /v1/messages and /v1/messages/count_tokens (Anthropic's Messages API), plus momo's
/// <c>speculative</c> extension. Fields whose shape varies (system, content, tools) stay JSON and are read by
/// <see cref="MessagesDialect"/>, which names the exact field of every refusal.
/// </summary>
internal sealed class MessagesRequest
{
    public string? Model { get; init; }

    public int? MaxTokens { get; init; }

    /// <summary>A string or an array of text blocks.</summary>
    public JsonElement System { get; init; }

    public List<AnthropicMessage>? Messages { get; init; }

    public JsonElement Tools { get; init; }

    public JsonElement ToolChoice { get; init; }

    public List<string>? StopSequences { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? TopK { get; init; }

    public bool? Stream { get; init; }

    /// <summary>user_id: accepted, changes nothing.</summary>
    public JsonElement Metadata { get; init; }

    /// <summary>Extended thinking: accepted, changes nothing (no reasoning model is served).</summary>
    public JsonElement Thinking { get; init; }

    /// <summary>Server-side context editing: accepted, changes nothing (the prompt is used as sent).</summary>
    public JsonElement ContextManagement { get; init; }

    /// <summary>effort (accepted, changes nothing) and format (structured output, honoured).</summary>
    public JsonElement OutputConfig { get; init; }

    public SpeculativeOptions? Speculative { get; init; }

    /// <summary>Any other field; refused unless it is known to change nothing.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>One message: role user, assistant or system; content a string or an array of blocks.</summary>
internal sealed class AnthropicMessage
{
    public string? Role { get; init; }

    public JsonElement Content { get; init; }
}

/// <summary>A non-streamed message (also the <c>message</c> of <c>message_start</c>).</summary>
internal sealed record MessagesResponse(
    string Id,
    string Type,
    string Role,
    string Model,
    IReadOnlyList<ContentBlock> Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? StopReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? StopSequence,
    MessagesUsage Usage,
    SpeculativeStatistics? Speculative = null);

/// <summary>Token counts the Anthropic way: input_tokens are the prompt tokens not read from the prefix cache.</summary>
internal sealed record MessagesUsage(int InputTokens, int OutputTokens, int CacheReadInputTokens, int CacheCreationInputTokens = 0);

/// <summary>A content block of an answer.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextBlock), "text")]
[JsonDerivedType(typeof(ToolUseBlock), "tool_use")]
internal abstract record ContentBlock;

internal sealed record TextBlock(string Text) : ContentBlock;

internal sealed record ToolUseBlock(string Id, string Name, JsonElement Input) : ContentBlock;

/// <summary>A streamed event; its <c>type</c> is also the SSE event name.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(MessageStartEvent), "message_start")]
[JsonDerivedType(typeof(ContentBlockStartEvent), "content_block_start")]
[JsonDerivedType(typeof(PingEvent), "ping")]
[JsonDerivedType(typeof(ContentBlockDeltaEvent), "content_block_delta")]
[JsonDerivedType(typeof(ContentBlockStopEvent), "content_block_stop")]
[JsonDerivedType(typeof(MessageDeltaEvent), "message_delta")]
[JsonDerivedType(typeof(MessageStopEvent), "message_stop")]
internal abstract record MessagesEvent;

internal sealed record MessageStartEvent(MessagesResponse Message) : MessagesEvent;

internal sealed record ContentBlockStartEvent(int Index, ContentBlock ContentBlock) : MessagesEvent;

internal sealed record PingEvent : MessagesEvent;

internal sealed record ContentBlockDeltaEvent(int Index, BlockDelta Delta) : MessagesEvent;

internal sealed record ContentBlockStopEvent(int Index) : MessagesEvent;

internal sealed record MessageDeltaEvent(MessageDelta Delta, MessagesUsage Usage, SpeculativeStatistics? Speculative = null) : MessagesEvent;

internal sealed record MessageStopEvent : MessagesEvent;

/// <summary>The end of a streamed message.</summary>
internal sealed record MessageDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? StopReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? StopSequence);

/// <summary>A piece of a content block.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextDelta), "text_delta")]
[JsonDerivedType(typeof(InputJsonDelta), "input_json_delta")]
internal abstract record BlockDelta;

internal sealed record TextDelta(string Text) : BlockDelta;

internal sealed record InputJsonDelta(string PartialJson) : BlockDelta;

/// <summary>count_tokens' answer.</summary>
internal sealed record TokenCount(int InputTokens);

/// <summary>Anthropic's error envelope: <c>{"type":"error","error":{"type","message"}}</c>.</summary>
internal sealed record AnthropicErrorResponse(string Type, AnthropicError Error);

internal sealed record AnthropicError(string Type, string Message);

/// <summary>Source-generated JSON for the Messages API, in its snake_case.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(MessagesRequest))]
[JsonSerializable(typeof(MessagesResponse))]
[JsonSerializable(typeof(MessagesEvent))]
[JsonSerializable(typeof(TokenCount))]
[JsonSerializable(typeof(AnthropicErrorResponse))]
internal sealed partial class AnthropicContractJsonContext : JsonSerializerContext;

/// <summary>The Messages contracts with the relaxed encoder, as <see cref="Contracts.MomoJsonContext"/> writes OpenAI's (quotes as <c>\"</c>, not <c>\u0022</c>).</summary>
internal static class AnthropicJsonContext
{
    /// <summary>The contracts' metadata with the relaxed encoder.</summary>
    public static AnthropicContractJsonContext Default { get; } = new(new System.Text.Json.JsonSerializerOptions(AnthropicContractJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
