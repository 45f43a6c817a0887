using System.Text.Json;
using Momo.Server.Contracts;

namespace Momo.Server.Validation;

/// <summary>
/// OpenAI request fields that would change the answer but that this server does not implement yet. Each is refused
/// with a 400 naming it, never silently ignored: a client that sends tools must not believe the model saw them.
/// Fields that change nothing here (<c>user</c>, <c>metadata</c>, <c>store</c>, <c>service_tier</c>, tools with
/// <c>tool_choice: "none"</c>, <c>response_format: {"type":"text"}</c>) pass.
/// </summary>
internal static class UnsupportedFields
{
    public static void Check(GenerationParameters body)
    {
        if (body.Extra is not { } extra)
        {
            return;
        }
        // Strings are compared as raw JSON text, never decoded: a hostile one (a lone surrogate) cannot throw here.
        extra.TryGetValue("tool_choice", out var choice);
        var choiceNone = IsString(choice, "none");
        if (!choiceNone && NonEmptyArray(extra, "tools"))
        {
            throw Refuse("tools", "Tool calling is not supported yet: the model would not see the tools. Send tool_choice \"none\" or leave tools out.");
        }
        if (choice.ValueKind == JsonValueKind.Object || IsString(choice, "required"))
        {
            throw Refuse("tool_choice", "tool_choice other than \"none\" or \"auto\" needs tool calling, which is not supported yet.");
        }
        if (NonEmptyArray(extra, "functions") || extra.TryGetValue("function_call", out var call) && call.ValueKind is JsonValueKind.Object)
        {
            throw Refuse("functions", "Function calling is not supported yet.");
        }
        if (extra.TryGetValue("response_format", out var format) && format.ValueKind == JsonValueKind.Object
            && !(format.TryGetProperty("type", out var type) && IsString(type, "text")))
        {
            throw Refuse("response_format", "Structured output (json_object, json_schema) is not supported yet; only {\"type\":\"text\"}.");
        }
        if (extra.TryGetValue("logprobs", out var logprobs) && (logprobs.ValueKind == JsonValueKind.True || logprobs.ValueKind == JsonValueKind.Number && NumberOf(logprobs) > 0))
        {
            throw Refuse("logprobs", "logprobs are not supported yet.");
        }
        if (Positive(extra, "top_logprobs"))
        {
            throw Refuse("top_logprobs", "top_logprobs are not supported yet.");
        }
        if (extra.TryGetValue("echo", out var echo) && echo.ValueKind == JsonValueKind.True)
        {
            throw Refuse("echo", "echo is not supported.");
        }
        if (extra.TryGetValue("best_of", out var bestOf) && bestOf.ValueKind == JsonValueKind.Number && NumberOf(bestOf) > 1)
        {
            throw Refuse("best_of", "best_of above 1 is not supported.");
        }
        if (extra.TryGetValue("suffix", out var suffix) && suffix.ValueKind == JsonValueKind.String && !IsString(suffix, ""))
        {
            throw Refuse("suffix", "suffix (insertion) is not supported.");
        }
        if (extra.TryGetValue("modalities", out var modalities) && modalities.ValueKind == JsonValueKind.Array
            && modalities.EnumerateArray().Any(m => !IsString(m, "text"))
            || extra.TryGetValue("audio", out var audio) && audio.ValueKind == JsonValueKind.Object)
        {
            throw Refuse("modalities", "Only text output is supported.");
        }
    }

    private static bool NonEmptyArray(Dictionary<string, JsonElement> extra, string name) =>
        extra.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0;

    private static bool Positive(Dictionary<string, JsonElement> extra, string name) =>
        extra.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Number && NumberOf(value) > 0;

    private static bool IsString(JsonElement value, string text) => value.ValueKind == JsonValueKind.String && value.GetRawText() == $"\"{text}\"";

    // A number beyond double's range (1e400) still has a sign: it counts as ±∞, never as an exception.
    private static double NumberOf(JsonElement number) =>
        number.TryGetDouble(out var value) ? value : number.GetRawText().StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;

    private static ApiException Refuse(string param, string message) => ApiException.Invalid(message, param, "unsupported_parameter");
}
