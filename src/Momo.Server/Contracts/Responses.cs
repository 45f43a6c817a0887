namespace Momo.Server.Contracts;

/// <summary>A non-streamed chat completion.</summary>
internal sealed record ChatCompletionResponse(
    string Id, string Object, long Created, string Model, IReadOnlyList<ChatChoice> Choices, Usage Usage,
    SpeculativeStatistics Speculative, string SystemFingerprint);

/// <summary>One chat choice.</summary>
internal sealed record ChatChoice(int Index, AssistantMessage Message, string FinishReason, ChatLogprobs? Logprobs = null);

/// <summary>The assistant's message: its text (null, written as null, when it only called tools) and its tool calls.</summary>
internal sealed record AssistantMessage(
    string Role,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? Content,
    IReadOnlyList<ToolCall>? ToolCalls = null);

/// <summary>A tool call the model made: <c>call_</c> + random id, type function, arguments as a JSON text.</summary>
internal sealed record ToolCall(string Id, string Type, FunctionCall Function);

/// <summary>The function a tool call names, and its arguments exactly as generated.</summary>
internal sealed record FunctionCall(string Name, string Arguments);

/// <summary>
/// A piece of a streamed tool call: the first piece of a call carries its index, id, type and name; later pieces
/// carry only the index and a fragment of the arguments.
/// </summary>
internal sealed record ToolCallDelta(int Index, string? Id = null, string? Type = null, FunctionDelta? Function = null);

/// <summary>The function part of a streamed tool call piece.</summary>
internal sealed record FunctionDelta(string? Name = null, string? Arguments = null);

/// <summary>A streamed chat chunk. <c>usage</c> and <c>speculative</c> appear only on the usage chunk.</summary>
internal sealed record ChatCompletionChunk(
    string Id, string Object, long Created, string Model, IReadOnlyList<ChatChunkChoice> Choices, string SystemFingerprint,
    Usage? Usage = null, SpeculativeStatistics? Speculative = null);

/// <summary>One choice of a chat chunk.</summary>
internal sealed record ChatChunkChoice(int Index, ChatDelta Delta, string? FinishReason, ChatLogprobs? Logprobs = null);

/// <summary>The change carried by a chunk.</summary>
internal sealed record ChatDelta(string? Role = null, string? Content = null, IReadOnlyList<ToolCallDelta>? ToolCalls = null);

/// <summary>A legacy completion, streamed or not (streamed chunks carry the new text only).</summary>
internal sealed record CompletionResponse(
    string Id, string Object, long Created, string Model, IReadOnlyList<CompletionChoice> Choices, string SystemFingerprint,
    Usage? Usage = null, SpeculativeStatistics? Speculative = null);

/// <summary>One completion choice.</summary>
internal sealed record CompletionChoice(int Index, string Text, string? FinishReason, CompletionLogprobs? Logprobs = null);

/// <summary>Token counts.</summary>
internal sealed record Usage(int PromptTokens, int CompletionTokens, int TotalTokens, PromptTokensDetails PromptTokensDetails);

/// <summary>Prompt token details: how many came from the prefix cache.</summary>
internal sealed record PromptTokensDetails(int CachedTokens);

/// <summary>Extension: what each speculative stage did for this request.</summary>
internal sealed record SpeculativeStatistics(
    string Mode,
    IReadOnlyList<string> Degradations,
    int DraftedTokens,
    int QualifierAcceptedTokens,
    int LookupProposedTokens,
    int LookupAcceptedTokens,
    int TargetProposedTokens,
    int TargetAcceptedTokens,
    int TargetCalls,
    int Preemptions,
    double? DraftAcceptanceRate,
    double? TargetAcceptanceRate,
    double TokensPerTargetCall);

/// <summary>GET /v1/models.</summary>
internal sealed record ModelList(string Object, IReadOnlyList<ModelCard> Data);

/// <summary>One served model.</summary>
internal sealed record ModelCard(string Id, string Object, long Created, string OwnedBy, ModelTiers Tiers);

/// <summary>Extension: the tiers behind the model and the mode requests get by default.</summary>
internal sealed record ModelTiers(TierFile Target, TierFile? Qualifier, TierFile? Draft, string DefaultMode);

/// <summary>One tier's GGUF file by its name and size: never its path, which would describe the server's disk.</summary>
internal sealed record TierFile(string File, long? Bytes);
