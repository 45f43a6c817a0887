using System.Text.Json;
using System.Text.RegularExpressions;
using Momo.Server.Contracts;

namespace Momo.Server.Dialects.Responses;

/// <summary>
/// Small checked reads of raw request JSON, each refusal a 400 naming the field. Strings are compared as raw JSON text
/// and decoded inside a guard, so a hostile string (a lone surrogate escape) is a 400, never an exception.
/// </summary>
internal static partial class JsonFields
{
    /// <summary>Whether <paramref name="value"/> is the string <paramref name="text"/> (which holds no escapes).</summary>
    public static bool Is(JsonElement value, string text) => value.ValueKind == JsonValueKind.String && value.GetRawText() == $"\"{text}\"";

    /// <summary>The property, or Undefined when absent or when <paramref name="element"/> is not an object.</summary>
    public static JsonElement Get(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    /// <summary>Whether the property is absent or null.</summary>
    public static bool IsMissing(JsonElement value) => value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    /// <summary>A required string.</summary>
    public static string String(JsonElement value, string param, string what = "a string") =>
        value.ValueKind == JsonValueKind.String ? Decode(value, param) : throw ApiException.Invalid($"{param} must be {what}.", param);

    /// <summary>An optional string (absent or null is null).</summary>
    public static string? OptionalString(JsonElement value, string param) => IsMissing(value) ? null : String(value, param);

    /// <summary>An optional boolean (absent or null is null).</summary>
    public static bool? OptionalBool(JsonElement value, string param) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw ApiException.Invalid($"{param} must be true or false.", param),
    };

    /// <summary>The type string of an item, as raw text without quotes (never decoded), or null when absent.</summary>
    public static string? TypeOf(JsonElement item, string param)
    {
        var type = Get(item, "type");
        if (IsMissing(type))
        {
            return null;
        }
        return type.ValueKind == JsonValueKind.String ? type.GetRawText()[1..^1] : throw ApiException.Invalid($"{param}.type must be a string.", $"{param}.type");
    }

    /// <summary>A function or namespace name under OpenAI's rule (1–64 of a–z, A–Z, 0–9, _ and -).</summary>
    public static string Name(JsonElement value, string param) =>
        value.ValueKind == JsonValueKind.String && NamePattern().IsMatch(value.GetRawText())
            ? value.GetString()!
            : throw ApiException.Invalid($"{param} must be 1–64 letters, digits, _ or - (OpenAI's rule for names).", param);

    private static string Decode(JsonElement value, string param)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw ApiException.Invalid($"{param} is not valid text (it holds an unpaired surrogate escape).", param);
        }
    }

    // The rule keeps names free of JSON escapes, so a name is written into prompts and grammars as it is.
    [GeneratedRegex("^\"[a-zA-Z0-9_-]{1,64}\"$")]
    private static partial Regex NamePattern();
}
