using System.Text.Json;
using Momo.Server.Contracts;

namespace Momo.Server.Validation;

/// <summary>
/// OpenAI request fields that would change the answer but that this server does not implement. Each is refused
/// with a 400 naming it, never silently ignored. The legacy <c>functions</c>/<c>function_call</c> pair is refused
/// rather than mapped onto tools: its answers have another shape (<c>message.function_call</c>), and every current
/// client sends <c>tools</c>. Fields that change nothing here (<c>user</c>, <c>metadata</c>, <c>store</c>,
/// <c>service_tier</c>, <c>prompt_cache_key</c>) pass; tools and response_format are read by ToolRequestReader.
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
        if (NonEmptyArray(extra, "functions") || extra.TryGetValue("function_call", out var call) && call.ValueKind is JsonValueKind.Object)
        {
            throw Refuse("functions", "The legacy functions/function_call fields are not supported; send the functions as tools (type function) with tool_choice.");
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
        if (extra.TryGetValue("web_search_options", out var search) && search.ValueKind == JsonValueKind.Object)
        {
            throw Refuse("web_search_options", "Web search is not supported: the model answers from its weights and the prompt only.");
        }
    }

    private static bool NonEmptyArray(Dictionary<string, JsonElement> extra, string name) =>
        extra.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0;

    private static bool IsString(JsonElement value, string text) => value.ValueKind == JsonValueKind.String && value.GetRawText() == $"\"{text}\"";

    // A number beyond double's range (1e400) still has a sign: it counts as ±∞, never as an exception.
    private static double NumberOf(JsonElement number) =>
        number.TryGetDouble(out var value) ? value : number.GetRawText().StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;

    private static ApiException Refuse(string param, string message) => ApiException.Invalid(message, param, "unsupported_parameter");
}
