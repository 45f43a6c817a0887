using System.Text.Encodings.Web;
using System.Text.Json;
using Momo.Grammar.Matching;

namespace Momo.Grammar.Schema;

/// <summary>
/// Compiles the JSON-schema subset tools use to grammar nodes that generate compact JSON (one optional space after
/// <c>:</c> and <c>,</c>, no other whitespace: bounded, so a model cannot pad forever). Every document the grammar
/// generates is valid under the schema; where the schema allows more than is practical to generate, the grammar
/// generates a documented subset (no unrequested extra properties, oneOf read as anyOf, numbers without exponents).
/// Anything else throws <see cref="GrammarException"/> naming the keyword's JSON pointer. See docs/structured-output.md.
/// </summary>
internal sealed partial class JsonSchemaCompiler
{
    private static readonly HashSet<string> Assertions =
    [
        "type", "properties", "required", "additionalProperties", "patternProperties", "propertyNames", "items", "minItems",
        "maxItems", "minLength", "maxLength", "pattern", "enum", "const", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "anyOf", "oneOf", "allOf", "$ref",
    ];

    // Annotations (description, title, default, examples, format, $schema, $id, $comment, …) are every other keyword:
    // ignored. JSON Schema keywords (drafts 4 to 2020-12) with meaning the grammar does not implement: refused. Keywords JSON Schema
    // does not define (vendor extensions such as TypeBox's "~optional" or "x-…") are ignored, as validators ignore them.
    private static readonly HashSet<string> Refused =
    [
        "not", "if", "then", "else", "uniqueItems", "multipleOf", "prefixItems", "additionalItems", "contains", "minContains",
        "maxContains", "minProperties", "maxProperties", "dependentSchemas", "dependentRequired", "dependencies",
        "unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef", "contentSchema", "contentMediaType",
        "contentEncoding",
    ];

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly JsonElement _root;
    private readonly Dictionary<string, GrammarNode.Reference> _definitions = [];
    private GrammarNode.Reference? _anyValue;

    private JsonSchemaCompiler(JsonElement root) => _root = root;

    /// <summary>The grammar of JSON documents valid under <paramref name="schema"/>.</summary>
    public static GrammarNode Compile(JsonElement schema) => new JsonSchemaCompiler(schema).Schema(schema, "");

    /// <summary>Any JSON object.</summary>
    public static GrammarNode AnyObject() => new JsonSchemaCompiler(default).AnyObjectNode();

    private GrammarNode Schema(JsonElement schema, string path)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                return AnyValue();
            case JsonValueKind.False:
                throw new GrammarException("The schema false matches nothing.", path);
            case JsonValueKind.Object:
                break;
            default:
                throw new GrammarException($"A schema must be an object or a boolean, not {schema.ValueKind}.", path);
        }
        foreach (var keyword in schema.EnumerateObject())
        {
            if (Refused.Contains(keyword.Name))
            {
                throw new GrammarException($"Keyword '{keyword.Name}' is not supported.", Pointer(path, keyword.Name));
            }
        }
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return Reference(schema, reference, path);
        }
        if (schema.TryGetProperty("allOf", out var allOf))
        {
            return AllOf(schema, allOf, path);
        }
        if (schema.TryGetProperty("anyOf", out var anyOf) || schema.TryGetProperty("oneOf", out anyOf))
        {
            return AnyOf(schema, anyOf, path);
        }
        if (schema.TryGetProperty("const", out var constant))
        {
            return Literal(constant);
        }
        if (schema.TryGetProperty("enum", out var values))
        {
            return Enum(schema, values, path);
        }
        var types = Types(schema, path);
        if (types.Count == 0)
        {
            return AnyValue();
        }
        var options = types.Select(type => Typed(schema, type, path)).ToList();
        return options.Count == 1 ? options[0] : new GrammarNode.Choice(options);
    }

    private GrammarNode Typed(JsonElement schema, string type, string path) => type switch
    {
        "string" => new GrammarNode.Token(StringToken(schema, path)),
        "integer" => new GrammarNode.Token(NumberToken(schema, integer: true, path)),
        "number" => new GrammarNode.Token(NumberToken(schema, integer: false, path)),
        "boolean" => new GrammarNode.Choice([new GrammarNode.Literal("true"), new GrammarNode.Literal("false")]),
        "null" => new GrammarNode.Literal("null"),
        "array" => Array(schema, path),
        "object" => Object(schema, path),
        _ => throw new GrammarException($"Unknown type '{type}'.", Pointer(path, "type")),
    };

    /// <summary>The declared types, or the one the keywords imply when there is no <c>type</c> (none: any value).</summary>
    private static List<string> Types(JsonElement schema, string path)
    {
        if (schema.TryGetProperty("type", out var type))
        {
            return type.ValueKind switch
            {
                JsonValueKind.String => [type.GetString()!],
                JsonValueKind.Array when type.GetArrayLength() > 0 && type.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String) =>
                    [.. type.EnumerateArray().Select(t => t.GetString()!).Distinct()],
                _ => throw new GrammarException("'type' must be a string or a non-empty array of strings.", Pointer(path, "type")),
            };
        }
        bool Has(params string[] keywords) => keywords.Any(k => schema.TryGetProperty(k, out _));
        return Has("properties", "required", "additionalProperties", "patternProperties") ? ["object"]
            : Has("items", "minItems", "maxItems") ? ["array"]
            : Has("minLength", "maxLength", "pattern") ? ["string"]
            : Has("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum") ? ["number"]
            : [];
    }

    private GrammarNode Reference(JsonElement schema, JsonElement reference, string path)
    {
        var here = Pointer(path, "$ref");
        var extra = schema.EnumerateObject().FirstOrDefault(k => k.Name != "$ref" && Assertions.Contains(k.Name));
        if (extra.Value.ValueKind != JsonValueKind.Undefined)
        {
            throw new GrammarException($"Keyword '{extra.Name}' beside $ref is not supported.", Pointer(path, extra.Name));
        }
        var target = reference.ValueKind == JsonValueKind.String ? reference.GetString()! : "";
        var parts = target.Split('/');
        if (parts.Length != 3 || parts[0] != "#" || parts[1] is not ("$defs" or "definitions"))
        {
            throw new GrammarException($"Only references to #/$defs/NAME or #/definitions/NAME are supported, not '{target}'.", here);
        }
        if (_definitions.TryGetValue(target, out var known))
        {
            return known;
        }
        var name = parts[2].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
        if (!_root.TryGetProperty(parts[1], out var definitions) || definitions.ValueKind != JsonValueKind.Object ||
            !definitions.TryGetProperty(name, out var definition))
        {
            throw new GrammarException($"Reference '{target}' names no definition.", here);
        }
        // Registered before compiling the definition, so a definition can refer to itself.
        var node = new GrammarNode.Reference(target);
        _definitions[target] = node;
        node.Target = Schema(definition, target[1..]);
        return node;
    }

    private GrammarNode AllOf(JsonElement schema, JsonElement allOf, string path)
    {
        var here = Pointer(path, "allOf");
        if (allOf.ValueKind != JsonValueKind.Array || allOf.GetArrayLength() != 1)
        {
            throw new GrammarException("Only allOf with exactly one schema is supported.", here);
        }
        var extra = schema.EnumerateObject().FirstOrDefault(k => k.Name != "allOf" && Assertions.Contains(k.Name));
        if (extra.Value.ValueKind != JsonValueKind.Undefined)
        {
            throw new GrammarException($"Keyword '{extra.Name}' beside allOf is not supported.", Pointer(path, extra.Name));
        }
        return Schema(allOf[0], Pointer(here, "0"));
    }

    private GrammarNode AnyOf(JsonElement schema, JsonElement anyOf, string path)
    {
        var keyword = schema.TryGetProperty("anyOf", out _) ? "anyOf" : "oneOf";
        var here = Pointer(path, keyword);
        if (anyOf.ValueKind != JsonValueKind.Array || anyOf.GetArrayLength() == 0)
        {
            throw new GrammarException($"{keyword} must be a non-empty array of schemas.", here);
        }
        if (schema.TryGetProperty("anyOf", out _) && schema.TryGetProperty("oneOf", out _))
        {
            throw new GrammarException("anyOf and oneOf together are not supported.", Pointer(path, "oneOf"));
        }
        var siblings = schema.EnumerateObject().Where(k => k.Name != keyword && Assertions.Contains(k.Name)).ToList();
        // oneOf is read as anyOf: a document matching two branches would be invalid, which exclusive branches never do.
        var options = new List<GrammarNode>();
        for (var i = 0; i < anyOf.GetArrayLength(); i++)
        {
            var branch = siblings.Count == 0 ? anyOf[i] : Merge(siblings, anyOf[i], Pointer(here, $"{i}"));
            options.Add(Schema(branch, Pointer(here, $"{i}")));
        }
        return options.Count == 1 ? options[0] : new GrammarNode.Choice(options);
    }

    /// <summary>Keywords beside anyOf (TypeBox and others put <c>type</c> there) are moved into each branch when they do not clash.</summary>
    private static JsonElement Merge(List<JsonProperty> siblings, JsonElement branch, string path)
    {
        if (branch.ValueKind != JsonValueKind.Object)
        {
            throw new GrammarException("A branch beside other keywords must be an object schema.", path);
        }
        var merged = new Dictionary<string, JsonElement>();
        foreach (var sibling in siblings)
        {
            merged[sibling.Name] = sibling.Value;
        }
        foreach (var keyword in branch.EnumerateObject())
        {
            if (merged.TryGetValue(keyword.Name, out var outer) && !(keyword.Name == "type" && outer.GetRawText() == keyword.Value.GetRawText()))
            {
                throw new GrammarException($"Keyword '{keyword.Name}' both beside anyOf/oneOf and inside a branch is not supported.", Pointer(path, keyword.Name));
            }
            merged[keyword.Name] = keyword.Value;
        }
        return JsonSerializer.SerializeToElement(merged);
    }

    private static GrammarNode Enum(JsonElement schema, JsonElement values, string path)
    {
        var here = Pointer(path, "enum");
        if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0)
        {
            throw new GrammarException("enum must be a non-empty array.", here);
        }
        var types = schema.TryGetProperty("type", out _) ? Types(schema, path) : null;
        var options = values.EnumerateArray()
            .Where(v => types is null || types.Any(t => HasType(v, t)))
            .Select(Literal).ToList();
        return options.Count switch
        {
            0 => throw new GrammarException("No enum value has the schema's type.", here),
            1 => options[0],
            _ => new GrammarNode.Choice(options),
        };
    }

    private static bool HasType(JsonElement value, string type) => (type, value.ValueKind) switch
    {
        ("string", JsonValueKind.String) or ("object", JsonValueKind.Object) or ("array", JsonValueKind.Array) => true,
        ("boolean", JsonValueKind.True or JsonValueKind.False) or ("null", JsonValueKind.Null) => true,
        ("number", JsonValueKind.Number) => true,
        ("integer", JsonValueKind.Number) => value.TryGetDecimal(out var d) && d == decimal.Truncate(d),
        _ => false,
    };

    /// <summary>A JSON value written compactly.</summary>
    private static GrammarNode.Literal Literal(JsonElement value) => new(JsonSerializer.Serialize(value, Compact));

    /// <summary>A JSON pointer one step below <paramref name="path"/>.</summary>
    private static string Pointer(string path, string token) =>
        $"{path}/{token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
}
