using System.Text.Json;
using Momo.Server.Contracts;

namespace Momo.Server.Logprobs;

/// <summary>
/// Reads <c>logprobs</c> and <c>top_logprobs</c> as each endpoint defines them and returns how many alternatives to
/// report per token (null: no logprobs). Chat: <c>logprobs</c> a boolean, <c>top_logprobs</c> 0–20 and only with
/// <c>logprobs: true</c>. Legacy completions: <c>logprobs</c> itself is the number of alternatives, 0–5. Responses:
/// <c>include: ["message.output_text.logprobs"]</c> asks, <c>top_logprobs</c> 0–20.
/// </summary>
internal static class LogprobsRequest
{
    /// <summary>Most alternatives per token on chat completions (OpenAI's limit).</summary>
    public const int MaxChatAlternatives = 20;

    /// <summary>Most alternatives per token on legacy completions (OpenAI's limit).</summary>
    public const int MaxCompletionAlternatives = 5;

    /// <summary>The <c>include</c> entry that asks a response for its output text's log-probabilities.</summary>
    public const string ResponsesInclude = "message.output_text.logprobs";

    public static int? Read(GenerationParameters body, bool chat) => chat ? ReadChat(body.Extra) : ReadCompletion(body.Extra);

    /// <summary>
    /// The Responses API's fields (<c>include</c> already checked to be an array of strings). OpenAI answers
    /// <c>top_logprobs</c> without the include with no log-probabilities at all; a count that would be silently dropped
    /// is refused instead.
    /// </summary>
    public static int? ReadResponses(Dictionary<string, JsonElement>? extra)
    {
        var wanted = Field(extra, "include") is { ValueKind: JsonValueKind.Array } include
            && include.EnumerateArray().Any(i => i.ValueKind == JsonValueKind.String && i.ValueEquals(ResponsesInclude));
        var top = Field(extra, "top_logprobs") is { } field ? Count(field, MaxChatAlternatives, "top_logprobs") : 0;
        if (top > 0 && !wanted)
        {
            throw ApiException.Invalid($"top_logprobs needs include: [\"{ResponsesInclude}\"] (without it no log-probabilities are returned).", "top_logprobs");
        }
        return wanted ? top : null;
    }

    private static int? ReadChat(Dictionary<string, JsonElement>? extra)
    {
        var wanted = Field(extra, "logprobs") switch
        {
            null => false,
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            _ => throw ApiException.Invalid("logprobs must be a boolean on chat completions (the number of alternatives is top_logprobs).", "logprobs"),
        };
        var top = Field(extra, "top_logprobs") is { } field ? Count(field, MaxChatAlternatives, "top_logprobs") : (int?)null;
        if (top is not null && !wanted)
        {
            throw ApiException.Invalid("top_logprobs needs logprobs: true.", "top_logprobs");
        }
        return wanted ? top ?? 0 : null;
    }

    private static int? ReadCompletion(Dictionary<string, JsonElement>? extra)
    {
        if (Field(extra, "top_logprobs") is not null)
        {
            throw ApiException.Invalid(
                $"top_logprobs is a chat completions field; on completions logprobs itself is the number of alternatives (0–{MaxCompletionAlternatives}).", "top_logprobs");
        }
        return Field(extra, "logprobs") switch
        {
            null or { ValueKind: JsonValueKind.False } => null,
            { } field => Count(field, MaxCompletionAlternatives, "logprobs"),
        };
    }

    /// <summary>The field's value; null when it is absent or JSON null (both mean "not asked").</summary>
    private static JsonElement? Field(Dictionary<string, JsonElement>? extra, string name) =>
        extra is not null && extra.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static int Count(JsonElement value, int max, string param) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 0 && count <= max
            ? count
            : throw ApiException.Invalid($"{param} must be an integer from 0 to {max}, got {Describe(value)}.", param);

    // Raw JSON text, never decoded (a lone surrogate cannot throw), and short: a huge value is not echoed back.
    private static string Describe(JsonElement value) =>
        value.GetRawText() is { Length: <= 32 } raw ? raw : $"a {value.ValueKind.ToString().ToLowerInvariant()}";
}
