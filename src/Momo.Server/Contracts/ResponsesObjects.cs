using System.Text.Json;
using System.Text.Json.Serialization;

namespace Momo.Server.Contracts;

/// <summary>
/// A Response (OpenAI's Responses API): the answer of POST /v1/responses, and the snapshot its stream events carry.
/// <c>error</c>, <c>incomplete_details</c>, <c>instructions</c>, <c>previous_response_id</c> and <c>usage</c> are
/// written even when null, as OpenAI does; request fields are echoed as sent.
/// </summary>
internal sealed record ResponseObject(string Id, long CreatedAt, string Status, string Model, IReadOnlyList<OutputItem> Output)
{
    public string Object { get; init; } = "response";

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ResponseError? Error { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IncompleteDetails? IncompleteDetails { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Instructions { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? MaxOutputTokens { get; init; }

    public bool ParallelToolCalls { get; init; } = true;

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? PreviousResponseId { get; init; }

    public JsonElement? Reasoning { get; init; }

    public bool Store { get; init; } = true;

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? Temperature { get; init; }

    public JsonElement? Text { get; init; }

    public JsonElement? ToolChoice { get; init; }

    public JsonElement? Tools { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? TopP { get; init; }

    public string Truncation { get; init; } = "disabled";

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ResponseUsage? Usage { get; init; }

    public JsonElement? Metadata { get; init; }

    /// <summary>Extension: what each speculative stage did (on the finished response).</summary>
    public SpeculativeStatistics? Speculative { get; init; }
}

/// <summary>Why a response stopped early: <c>max_output_tokens</c>.</summary>
internal sealed record IncompleteDetails(string Reason);

/// <summary>The error of a failed response (sent in a <c>response.failed</c> event).</summary>
internal sealed record ResponseError(string Code, string Message);

/// <summary>Token counts of a response; <c>cached_tokens</c> came from the prefix cache.</summary>
internal sealed record ResponseUsage(
    int InputTokens, InputTokensDetails InputTokensDetails, int OutputTokens, OutputTokensDetails OutputTokensDetails, int TotalTokens);

/// <summary>Input token details.</summary>
internal sealed record InputTokensDetails(int CachedTokens);

/// <summary>Output token details (no reasoning model here: always 0 reasoning tokens).</summary>
internal sealed record OutputTokensDetails(int ReasoningTokens);

/// <summary>One item of a response's output: a message or a function call.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(OutputMessage), "message")]
[JsonDerivedType(typeof(OutputFunctionCall), "function_call")]
internal abstract record OutputItem(string Id, string Status);

/// <summary>An assistant message: its text as output_text parts.</summary>
internal sealed record OutputMessage(string Id, string Status, IReadOnlyList<OutputText> Content) : OutputItem(Id, Status)
{
    public string Role { get; init; } = "assistant";
}

/// <summary>
/// Text the model wrote (annotations are always empty here); <c>logprobs</c> when the request included
/// <c>message.output_text.logprobs</c>: one entry per token of the text.
/// </summary>
internal sealed record OutputText(string Text)
{
    public string Type { get; init; } = "output_text";

    public IReadOnlyList<string> Annotations { get; init; } = [];

    public IReadOnlyList<ChatTokenLogprob>? Logprobs { get; init; }
}

/// <summary>
/// A call the model made: <c>call_id</c> is what the client's function_call_output names; <c>namespace</c> is set
/// when the function was offered inside a namespace tool.
/// </summary>
internal sealed record OutputFunctionCall(string Id, string Status, string CallId, string Name, string Arguments, string? Namespace)
    : OutputItem(Id, Status);

/// <summary>
/// One server-sent event of a streamed response (its <c>type</c> is also the SSE event name). Each kind carries only
/// the fields OpenAI gives it; the rest stay null and are not written.
/// </summary>
internal sealed record ResponseStreamEvent(string Type, int SequenceNumber)
{
    public ResponseObject? Response { get; init; }

    public int? OutputIndex { get; init; }

    public OutputItem? Item { get; init; }

    public string? ItemId { get; init; }

    public int? ContentIndex { get; init; }

    public OutputText? Part { get; init; }

    public string? Delta { get; init; }

    /// <summary>On <c>output_text.delta</c> the entries of the tokens it writes, on <c>.done</c> all the text's (when asked).</summary>
    public IReadOnlyList<ChatTokenLogprob>? Logprobs { get; init; }

    public string? Text { get; init; }

    public string? Arguments { get; init; }

    public string? Name { get; init; }
}

/// <summary>Answer of DELETE /v1/responses/{id}.</summary>
internal sealed record ResponseDeleted(string Id)
{
    public string Object { get; init; } = "response";

    public bool Deleted { get; init; } = true;
}

/// <summary>Answer of POST /v1/responses/input_tokens.</summary>
internal sealed record InputTokensResponse(int InputTokens)
{
    public string Object { get; init; } = "response.input_tokens";
}
