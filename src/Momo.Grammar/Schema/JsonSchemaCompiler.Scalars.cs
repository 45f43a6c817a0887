using System.Globalization;
using System.Text.Json;

namespace Momo.Grammar.Schema;

/// <summary>Strings and numbers.</summary>
internal sealed partial class JsonSchemaCompiler
{
    private static StringLexeme StringToken(JsonElement schema, string path)
    {
        var min = Count(schema, "minLength", path) ?? 0;
        var max = Count(schema, "maxLength", path) ?? int.MaxValue;
        if (min > max)
        {
            throw new GrammarException("minLength is above maxLength.", Pointer(path, "minLength"));
        }
        string? pattern = null;
        if (schema.TryGetProperty("pattern", out var text))
        {
            pattern = text.ValueKind == JsonValueKind.String
                ? text.GetString()!
                : throw new GrammarException("pattern must be a string.", Pointer(path, "pattern"));
        }
        return StringLexemes.Get(pattern, min, max, Pointer(path, "pattern"));
    }

    private static NumberLexeme NumberToken(JsonElement schema, bool integer, string path)
    {
        var (minimum, minExclusive) = Bound(schema, "minimum", "exclusiveMinimum", path);
        var (maximum, maxExclusive) = Bound(schema, "maximum", "exclusiveMaximum", path);
        return new NumberLexeme(new NumberConstraints(integer, minimum, minExclusive, maximum, maxExclusive), path);
    }

    /// <summary>The tighter of <c>minimum</c> and a numeric <c>exclusiveMinimum</c> (or the draft-4 boolean form).</summary>
    private static (decimal? Value, bool Exclusive) Bound(JsonElement schema, string inclusive, string exclusive, string path)
    {
        var lower = inclusive == "minimum";
        var value = schema.TryGetProperty(inclusive, out var i) ? Number(i, Pointer(path, inclusive), lower) : null;
        var isExclusive = false;
        if (schema.TryGetProperty(exclusive, out var e))
        {
            if (e.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                isExclusive = e.ValueKind == JsonValueKind.True && value is not null;
            }
            else if (Number(e, Pointer(path, exclusive), lower) is { } x && (value is not { } v || (lower ? x >= v : x <= v)))
            {
                (value, isExclusive) = (x, true);
            }
        }
        return (value, isExclusive);
    }

    /// <summary>A bound as a decimal; one beyond ±10²⁰ is no bound at all on that side (numbers stay below 10¹⁵).</summary>
    private static decimal? Number(JsonElement value, string path, bool lower)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new GrammarException("A bound must be a number.", path);
        }
        if (decimal.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && Math.Abs(d) < 1e20m)
        {
            return d;
        }
        var huge = value.GetDouble();
        return (huge > 0) == lower ? throw new GrammarException("The bound excludes every number the grammar can write.", path) : null;
    }

    private static int? Count(JsonElement schema, string keyword, string path)
    {
        if (!schema.TryGetProperty(keyword, out var value))
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 0
            ? n
            : throw new GrammarException($"{keyword} must be a non-negative integer.", Pointer(path, keyword));
    }
}
