using System.Text.Json;
using Momo.Grammar.Matching;
using Momo.Grammar.Patterns;

namespace Momo.Grammar.Schema;

/// <summary>Arrays, objects and "any JSON value".</summary>
internal sealed partial class JsonSchemaCompiler
{
    private static readonly GrammarNode Comma = Spaced(",");
    private static readonly GrammarNode Colon = Spaced(":");

    private GrammarNode Array(JsonElement schema, string path)
    {
        if (schema.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            throw new GrammarException("Tuple items (an array of schemas) are not supported.", Pointer(path, "items"));
        }
        var item = schema.TryGetProperty("items", out items) ? Schema(items, Pointer(path, "items")) : AnyValue();
        var min = Count(schema, "minItems", path) ?? 0;
        var max = Count(schema, "maxItems", path) ?? int.MaxValue;
        if (min > max)
        {
            throw new GrammarException("minItems is above maxItems.", Pointer(path, "minItems"));
        }
        if (max != int.MaxValue && max > GrammarRules.MaxUnrolled)
        {
            throw new GrammarException($"maxItems above {GrammarRules.MaxUnrolled} is not supported; leave it out.", Pointer(path, "maxItems"));
        }
        return List("[", item, "]", min, max);
    }

    /// <summary><paramref name="open"/> item (, item)* <paramref name="close"/> with between min and max items.</summary>
    private static GrammarNode List(string open, GrammarNode item, string close, int min, int max)
    {
        var rest = new GrammarNode.Repeat(Seq(Comma, item), Math.Max(0, min - 1), max == int.MaxValue ? max : max - 1);
        var nonEmpty = Seq(new GrammarNode.Literal(open), item, rest, new GrammarNode.Literal(close));
        if (max == 0)
        {
            return new GrammarNode.Literal(open + close);
        }
        return min > 0 ? nonEmpty : new GrammarNode.Choice([new GrammarNode.Literal(open + close), nonEmpty]);
    }

    /// <summary>
    /// Declared properties in declared order (required ones always, optional ones maybe), then extra members. Extra
    /// members are generated only where the schema names their keys' shape and nothing else can claim them: one
    /// patternProperties entry whose pattern matches no declared name, or additionalProperties in an object that
    /// declares no properties and no patterns (a map). Elsewhere they are allowed by the schema but never generated.
    /// </summary>
    private GrammarNode Object(JsonElement schema, string path)
    {
        var properties = new List<(string Name, GrammarNode Value, bool Required)>();
        var required = RequiredNames(schema, path);
        if (schema.TryGetProperty("properties", out var declared))
        {
            if (declared.ValueKind != JsonValueKind.Object)
            {
                throw new GrammarException("properties must be an object.", Pointer(path, "properties"));
            }
            foreach (var property in declared.EnumerateObject())
            {
                var value = Schema(property.Value, Pointer(Pointer(path, "properties"), property.Name));
                properties.Add((property.Name, value, required.Contains(property.Name)));
            }
        }
        foreach (var name in required.Where(n => !properties.Any(p => p.Name == n)))
        {
            properties.Add((name, AnyValue(), true)); // required but not described: any value
        }
        var extra = ExtraMember(schema, path, properties.Select(p => p.Name).ToList());
        var members = Members(properties, extra);
        return Seq(new GrammarNode.Literal("{"), members, new GrammarNode.Literal("}"));
    }

    private static HashSet<string> RequiredNames(JsonElement schema, string path)
    {
        if (!schema.TryGetProperty("required", out var required))
        {
            return [];
        }
        if (required.ValueKind != JsonValueKind.Array || required.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
        {
            throw new GrammarException("required must be an array of strings.", Pointer(path, "required"));
        }
        return [.. required.EnumerateArray().Select(r => r.GetString()!)];
    }

    private GrammarNode? ExtraMember(JsonElement schema, string path, List<string> declared)
    {
        var keys = KeySchema(schema, path);
        var additional = schema.TryGetProperty("additionalProperties", out var a) ? a : default;
        if (additional.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Object))
        {
            throw new GrammarException("additionalProperties must be a boolean or a schema.", Pointer(path, "additionalProperties"));
        }
        if (schema.TryGetProperty("patternProperties", out var patterns))
        {
            var here = Pointer(path, "patternProperties");
            if (patterns.ValueKind != JsonValueKind.Object)
            {
                throw new GrammarException("patternProperties must be an object.", here);
            }
            var entries = patterns.EnumerateObject().ToList();
            // Compiled even when not generated, so an unsupported pattern is reported.
            var lexemes = entries.Select(e => StringLexemes.Get(e.Name, 0, int.MaxValue, Pointer(here, e.Name))).ToList();
            if (entries.Count != 1 || declared.Any(name => Matches(lexemes[0].Constraints.Pattern!, name)) || keys is not null)
            {
                return null;
            }
            return Seq(new GrammarNode.Token(lexemes[0]), Colon, Schema(entries[0].Value, Pointer(here, entries[0].Name)));
        }
        var isMap = declared.Count == 0 && additional.ValueKind != JsonValueKind.False;
        if (!isMap)
        {
            return null;
        }
        var value = additional.ValueKind == JsonValueKind.Object ? Schema(additional, Pointer(path, "additionalProperties")) : AnyValue();
        return Seq(keys ?? AnyString(), Colon, value);
    }

    /// <summary>
    /// The keys <c>propertyNames</c> allows, as a string grammar; null when it allows every string (absent, <c>true</c>
    /// or <c>{"type":"string"}</c>, as TypeBox writes records). Only string keywords are supported there.
    /// </summary>
    private GrammarNode? KeySchema(JsonElement schema, string path)
    {
        if (!schema.TryGetProperty("propertyNames", out var names) || names.ValueKind == JsonValueKind.True)
        {
            return null;
        }
        var here = Pointer(path, "propertyNames");
        if (names.ValueKind != JsonValueKind.Object)
        {
            throw new GrammarException("propertyNames must be a schema object or true.", here);
        }
        var assertions = names.EnumerateObject().Where(k => Assertions.Contains(k.Name)).ToList();
        var unsupported = assertions.FirstOrDefault(k => k.Name is not ("type" or "pattern" or "minLength" or "maxLength" or "enum" or "const"));
        if (unsupported.Value.ValueKind != JsonValueKind.Undefined)
        {
            throw new GrammarException($"Keyword '{unsupported.Name}' in propertyNames is not supported.", Pointer(here, unsupported.Name));
        }
        var nonString = assertions.FirstOrDefault(k =>
            (k.Name == "type" && k.Value.GetRawText() != "\"string\"") ||
            (k.Name == "enum" && (k.Value.ValueKind != JsonValueKind.Array || k.Value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))) ||
            (k.Name == "const" && k.Value.ValueKind != JsonValueKind.String));
        if (nonString.Value.ValueKind != JsonValueKind.Undefined)
        {
            throw new GrammarException("propertyNames must describe strings.", Pointer(here, nonString.Name));
        }
        // Every form left is a string: type string, enum or const of strings, or string keywords (which imply type string).
        return assertions.All(k => k.Name == "type") ? null : Schema(names, here);
    }

    private static bool Matches(CharDfa dfa, string name)
    {
        var state = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            state = dfa.Next(state, PatternSymbols.Of(rune.Value));
            if (state < 0)
            {
                return false;
            }
        }
        return dfa.IsAccepting(state);
    }

    /// <summary>
    /// The members after "{": built right to left, so each optional property either appears (with a comma when a member
    /// came before it) or is skipped. Nodes are shared between branches; lowering keeps the rules linear in size.
    /// </summary>
    private static GrammarNode Members(List<(string Name, GrammarNode Value, bool Required)> properties, GrammarNode? extra)
    {
        // after[i, c]: members from property i on, c = whether a member precedes (so the next needs a comma).
        GrammarNode Tail(bool comma) => extra is null
            ? new GrammarNode.Sequence([])
            : comma
                ? new GrammarNode.Repeat(Seq(Comma, extra), 0, int.MaxValue)
                : new GrammarNode.Choice([new GrammarNode.Sequence([]), Seq(extra, new GrammarNode.Repeat(Seq(Comma, extra), 0, int.MaxValue))]);
        var withComma = Tail(true);
        var withoutComma = Tail(false);
        for (var i = properties.Count - 1; i >= 0; i--)
        {
            var (name, value, isRequired) = properties[i];
            var key = new GrammarNode.Literal(JsonSerializer.Serialize(name, Compact));
            GrammarNode Present(bool comma) => comma ? Seq(Comma, key, Colon, value, withComma) : Seq(key, Colon, value, withComma);
            var (nextWith, nextWithout) = isRequired
                ? (Present(true), Present(false))
                : ((GrammarNode)new GrammarNode.Choice([Present(true), withComma]), new GrammarNode.Choice([Present(false), withoutComma]));
            (withComma, withoutComma) = (nextWith, nextWithout);
        }
        return withoutComma;
    }

    private static GrammarNode.Token AnyString() => new(StringLexemes.Get(null, 0, int.MaxValue, ""));

    /// <summary>Any JSON value (the schema <c>true</c> or <c>{}</c>), one shared recursive definition per compiled schema.</summary>
    private GrammarNode AnyValue()
    {
        if (_anyValue is not null)
        {
            return _anyValue;
        }
        _anyValue = new GrammarNode.Reference("any");
        var number = new GrammarNode.Token(new NumberLexeme(new NumberConstraints(false, null, false, null, false), ""));
        _anyValue.Target = new GrammarNode.Choice(
        [
            List("{", Seq(AnyString(), Colon, _anyValue), "}", 0, int.MaxValue),
            List("[", _anyValue, "]", 0, int.MaxValue),
            AnyString(),
            number,
            new GrammarNode.Literal("true"),
            new GrammarNode.Literal("false"),
            new GrammarNode.Literal("null"),
        ]);
        return _anyValue;
    }

    private GrammarNode AnyObjectNode()
    {
        var value = AnyValue();
        return List("{", Seq(AnyString(), Colon, value), "}", 0, int.MaxValue);
    }

    private static GrammarNode Seq(params GrammarNode[] parts) => new GrammarNode.Sequence(parts);

    /// <summary>A separator with at most one space after it (what json.dumps writes), never more.</summary>
    private static GrammarNode Spaced(string separator) =>
        Seq(new GrammarNode.Literal(separator), new GrammarNode.Choice([new GrammarNode.Literal(""), new GrammarNode.Literal(" ")]));
}
