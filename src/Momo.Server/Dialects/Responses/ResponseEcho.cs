using System.Text.Json;
using Momo.Engine.Results;
using Momo.Server.Contracts;
using Momo.Server.Generation;
using Momo.Server.Tools;

namespace Momo.Server.Dialects.Responses;

/// <summary>
/// The Response object around the output: the request's settings echoed as sent (OpenAI's defaults where absent),
/// then the status, usage and speculative statistics once the generation ends.
/// </summary>
internal static class ResponseEcho
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement.Clone();
    private static readonly JsonElement Auto = JsonDocument.Parse("\"auto\"").RootElement.Clone();
    private static readonly JsonElement NoReasoning = JsonDocument.Parse("""{"effort":null,"summary":null}""").RootElement.Clone();
    private static readonly JsonElement PlainText = JsonDocument.Parse("""{"format":{"type":"text"}}""").RootElement.Clone();

    /// <summary>The response in progress: no output, no usage.</summary>
    public static ResponseObject InProgress(ResponsesRequest body, string id, long created, string model)
    {
        var extra = body.Extra ?? [];
        return new ResponseObject(id, created, "in_progress", model, [])
        {
            Instructions = body.Instructions,
            MaxOutputTokens = body.MaxOutputTokens,
            ParallelToolCalls = extra.GetValueOrDefault("parallel_tool_calls").ValueKind != JsonValueKind.False,
            PreviousResponseId = body.PreviousResponseId,
            Reasoning = Echo(extra, "reasoning", NoReasoning),
            Store = body.Store != false,
            Temperature = body.Temperature ?? 1.0,
            Text = Echo(extra, "text", PlainText),
            ToolChoice = Echo(extra, "tool_choice", Auto),
            Tools = Echo(extra, "tools", EmptyArray),
            TopP = body.TopP ?? 1.0,
            Metadata = Echo(extra, "metadata", EmptyObject),
        };
    }

    /// <summary>The finished response: completed, or incomplete when the output hit max_output_tokens or the context.</summary>
    public static ResponseObject Finished(ResponseObject inProgress, IReadOnlyList<OutputItem> output, AnswerEnd end) =>
        inProgress with
        {
            Status = end.Finish == AnswerFinish.MaxTokens ? "incomplete" : "completed",
            IncompleteDetails = end.Finish == AnswerFinish.MaxTokens ? new IncompleteDetails("max_output_tokens") : null,
            Output = [.. output],
            Usage = Usage(end.Statistics),
            Speculative = OpenAiMapping.ToSpeculative(end.Statistics),
        };

    /// <summary>input_tokens counts the whole prompt; cached_tokens, the share read from the prefix cache.</summary>
    private static ResponseUsage Usage(GenerationStatistics statistics) => new(
        statistics.PromptTokens, new InputTokensDetails(statistics.CachedPromptTokens),
        statistics.CompletionTokens, new OutputTokensDetails(0), statistics.PromptTokens + statistics.CompletionTokens);

    /// <summary>The failed response a stream ends with when the generation fails after it started.</summary>
    public static ResponseObject Failed(ResponseObject inProgress, IReadOnlyList<OutputItem> output, ApiError error) =>
        inProgress with { Status = "failed", Output = [.. output], Error = new ResponseError(error.Code ?? error.Type, error.Message) };

    /// <summary>The answer as one assistant turn (its text and its calls), for the store.</summary>
    public static ChatTurn AsTurn(IReadOnlyList<OutputItem> output) => new(
        "assistant",
        string.Concat(output.OfType<OutputMessage>().SelectMany(m => m.Content).Select(p => p.Text)),
        [.. output.OfType<OutputFunctionCall>().Select(c => new HistoryCall(c.CallId, c.Name, c.Arguments))]);

    private static JsonElement Echo(Dictionary<string, JsonElement> extra, string name, JsonElement otherwise) =>
        extra.TryGetValue(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? value : otherwise;
}
