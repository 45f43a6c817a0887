using System.Text.Json;
using Momo.Server.Contracts;
using static Momo.Server.Dialects.Responses.JsonFields;

namespace Momo.Server.Dialects.Responses;

/// <summary>
/// Responses fields this server does not implement and that would change the answer: each is a 400 naming it.
/// Fields that change nothing here pass: <c>reasoning</c> and <c>text.verbosity</c> (no model here reasons in hidden
/// tokens or was trained on a verbosity hint), <c>include</c> values other than logprobs (they ask for parts of
/// hosted tool calls and reasoning that never occur here; the logprobs one is read by LogprobsRequest), <c>prompt_cache_key</c> (the prefix cache needs no key),
/// <c>client_metadata</c>, <c>metadata</c>, <c>user</c>, <c>safety_identifier</c>, <c>service_tier</c>.
/// </summary>
internal static class ResponsesFields
{
    public static void Check(ResponsesRequest body, IReadOnlyDictionary<string, JsonElement> extra)
    {
        if (body.MaxTokens is not null || body.MaxCompletionTokens is not null)
        {
            var name = body.MaxTokens is not null ? "max_tokens" : "max_completion_tokens";
            throw ApiException.Invalid($"{name} belongs to chat completions; the Responses API takes max_output_tokens.", name, "unsupported_parameter");
        }
        Refuse(extra, "messages", v => !IsMissing(v), "messages belongs to chat completions; the Responses API takes input.");
        Refuse(extra, "response_format", v => !IsMissing(v), "response_format belongs to chat completions; the Responses API takes text.format.");
        Refuse(extra, "background", v => v.ValueKind == JsonValueKind.True, "background responses are not supported: this server answers while the request is open.");
        Refuse(extra, "conversation", v => !IsMissing(v), "conversations are not stored here; send previous_response_id or the items themselves.");
        Refuse(extra, "prompt", v => !IsMissing(v), "stored prompt templates are not supported; send instructions and input.");
        Refuse(extra, "truncation", v => !IsMissing(v) && !Is(v, "disabled"),
            "truncation \"auto\" is not supported: a prompt that does not fit the context is refused, never cut.");
        Refuse(extra, "max_tool_calls", v => !IsMissing(v), "max_tool_calls is not supported; use parallel_tool_calls false for one call at a time.");
        Refuse(extra, "logprobs", v => v.ValueKind == JsonValueKind.True || v.ValueKind == JsonValueKind.Number && !(v.TryGetDecimal(out var n) && n <= 0),
            "logprobs belongs to chat completions; the Responses API asks with include: [\"message.output_text.logprobs\"] (and top_logprobs).");
        var include = extra.GetValueOrDefault("include");
        if (!IsMissing(include) && (include.ValueKind != JsonValueKind.Array || include.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.String)))
        {
            throw ApiException.Invalid("include must be an array of strings.", "include");
        }
        var reasoning = extra.GetValueOrDefault("reasoning");
        if (!IsMissing(reasoning) && reasoning.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.Invalid("reasoning must be an object (effort, summary).", "reasoning");
        }
    }

    private static void Refuse(IReadOnlyDictionary<string, JsonElement> extra, string name, Func<JsonElement, bool> refused, string message)
    {
        if (extra.TryGetValue(name, out var value) && refused(value))
        {
            throw ApiException.Invalid(message, name, "unsupported_parameter");
        }
    }
}
