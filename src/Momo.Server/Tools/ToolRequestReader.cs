using System.Text.Json;
using System.Text.RegularExpressions;
using Momo.Server.Contracts;

namespace Momo.Server.Tools;

/// <summary>
/// Reads <c>tools</c>, <c>tool_choice</c>, <c>parallel_tool_calls</c> and <c>response_format</c> from a request body.
/// Every refusal is a 400 naming the exact field (<c>tools[2].function.name</c>). Strings are compared as raw
/// JSON text, and a name is decoded only once its raw text matched the name rule, so a hostile string (a lone
/// surrogate) is a 400, never an exception.
/// </summary>
internal static partial class ToolRequestReader
{
    /// <summary>Reads the fields; <paramref name="chat"/> is false for /v1/completions, where tools do not apply.</summary>
    public static ToolRequest Read(GenerationParameters body, bool chat)
    {
        var extra = body.Extra ?? [];
        var tools = extra.TryGetValue("tools", out var toolsJson) ? Tools(toolsJson) : [];
        extra.TryGetValue("tool_choice", out var choiceJson);
        var (choice, named) = Choice(choiceJson, tools);
        if (!chat && (tools.Count > 0 || choice is ToolChoiceKind.Required or ToolChoiceKind.Named))
        {
            throw ApiException.Invalid(
                "tools apply to chat completions only; /v1/completions continues a raw prompt and has no tool calling.",
                tools.Count > 0 ? "tools" : "tool_choice", "unsupported_parameter");
        }
        var parallel = !extra.TryGetValue("parallel_tool_calls", out var parallelJson) || parallelJson.ValueKind switch
        {
            JsonValueKind.True or JsonValueKind.Null => true,
            JsonValueKind.False => false,
            _ => throw ApiException.Invalid("parallel_tool_calls must be true or false.", "parallel_tool_calls"),
        };
        var (format, schema) = extra.TryGetValue("response_format", out var formatJson) ? Format(formatJson) : (ResponseFormatKind.Text, null);
        var request = new ToolRequest(tools, choice, named, parallel, format, schema);
        if (request.MayCall && format != ResponseFormatKind.Text)
        {
            throw ApiException.Invalid(
                "response_format and tool calls cannot be combined: an answer is either a tool call or the structured output. "
                + "Send tool_choice \"none\" to keep the tools as context only, or leave response_format out.",
                "response_format", "unsupported_parameter");
        }
        return request;
    }

    private static List<ToolDefinition> Tools(JsonElement tools)
    {
        var result = new List<ToolDefinition>();
        foreach (var (tool, at) in ToolList.Objects(tools))
        {
            if (!tool.TryGetProperty("type", out var type) || !Is(type, "function"))
            {
                throw ApiException.Invalid($"{at}.type must be \"function\" (the only tool type served).", $"{at}.type", "unsupported_value");
            }
            if (!tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.Invalid($"{at}.function must be an object with the function's name.", $"{at}.function");
            }
            var name = FunctionName(function, $"{at}.function.name");
            ToolList.RequireNew(result, name, $"{at}.function.name");
            if (function.TryGetProperty("description", out var description) && description.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                throw ApiException.Invalid($"{at}.function.description must be a string.", $"{at}.function.description");
            }
            JsonElement? parameters = null;
            if (function.TryGetProperty("parameters", out var schema) && schema.ValueKind != JsonValueKind.Null)
            {
                parameters = schema.ValueKind == JsonValueKind.Object
                    ? schema
                    : throw ApiException.Invalid($"{at}.function.parameters must be a JSON schema object.", $"{at}.function.parameters");
            }
            if (function.TryGetProperty("strict", out var strict) && strict.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
            {
                throw ApiException.Invalid($"{at}.function.strict must be true or false.", $"{at}.function.strict");
            }
            result.Add(new ToolDefinition(name, parameters, "{\"type\":\"function\",\"function\":" + CompactJson.Of(function) + "}", $"{at}.function.parameters"));
        }
        return result;
    }

    private static (ToolChoiceKind, string?) Choice(JsonElement choice, IReadOnlyList<ToolDefinition> tools)
    {
        var kind = choice.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => tools.Count > 0 ? ToolChoiceKind.Auto : ToolChoiceKind.None,
            JsonValueKind.String when Is(choice, "auto") => tools.Count > 0 ? ToolChoiceKind.Auto : ToolChoiceKind.None,
            JsonValueKind.String when Is(choice, "none") => ToolChoiceKind.None,
            JsonValueKind.String when Is(choice, "required") => ToolChoiceKind.Required,
            JsonValueKind.Object => ToolChoiceKind.Named,
            _ => throw ApiException.Invalid(
                "tool_choice must be \"auto\", \"none\", \"required\" or {\"type\":\"function\",\"function\":{\"name\":...}}.", "tool_choice"),
        };
        if (kind is ToolChoiceKind.Required or ToolChoiceKind.Named && tools.Count == 0)
        {
            throw ApiException.Invalid("tool_choice asks for a tool call, but no tools were given.", "tool_choice");
        }
        if (kind != ToolChoiceKind.Named)
        {
            return (kind, null);
        }
        if (!choice.TryGetProperty("type", out var type) || !Is(type, "function")
            || !choice.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.Invalid("tool_choice as an object must be {\"type\":\"function\",\"function\":{\"name\":...}}.", "tool_choice");
        }
        var name = FunctionName(function, "tool_choice.function.name");
        return tools.Any(t => t.Name == name)
            ? (kind, name)
            : throw ApiException.Invalid($"tool_choice names the function '{name}', which is not among the tools.", "tool_choice.function.name");
    }

    private static (ResponseFormatKind, JsonElement?) Format(JsonElement format)
    {
        if (format.ValueKind == JsonValueKind.Null)
        {
            return (ResponseFormatKind.Text, null);
        }
        if (format.ValueKind != JsonValueKind.Object || !format.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw ApiException.Invalid("response_format must be an object with a type: text, json_object or json_schema.", "response_format");
        }
        if (Is(type, "text"))
        {
            return (ResponseFormatKind.Text, null);
        }
        if (Is(type, "json_object"))
        {
            return (ResponseFormatKind.JsonObject, null);
        }
        if (!Is(type, "json_schema"))
        {
            throw ApiException.Invalid("response_format.type must be text, json_object or json_schema.", "response_format.type", "unsupported_value");
        }
        if (!format.TryGetProperty("json_schema", out var jsonSchema) || jsonSchema.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.Invalid("response_format.json_schema must be an object with name and schema.", "response_format.json_schema");
        }
        if (jsonSchema.TryGetProperty("name", out var name) && name.ValueKind != JsonValueKind.Null && !ValidName(name))
        {
            throw ApiException.Invalid("response_format.json_schema.name must be 1–64 letters, digits, _ or -.", "response_format.json_schema.name");
        }
        if (jsonSchema.TryGetProperty("strict", out var strict) && strict.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
        {
            throw ApiException.Invalid("response_format.json_schema.strict must be true or false.", "response_format.json_schema.strict");
        }
        return jsonSchema.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.Object
            ? (ResponseFormatKind.JsonSchema, schema)
            : throw ApiException.Invalid("response_format.json_schema.schema must be a JSON schema object.", "response_format.json_schema.schema");
    }

    // Raw JSON text, never decoded: ValueEquals throws on a lone surrogate escape ("\ud800").
    internal static bool Is(JsonElement value, string text) => value.ValueKind == JsonValueKind.String && value.GetRawText() == $"\"{text}\"";

    internal static string FunctionName(JsonElement function, string param) =>
        function.TryGetProperty("name", out var name) && ValidName(name)
            ? name.GetString()!
            : throw ApiException.Invalid("The function name must be 1–64 letters, digits, _ or - (OpenAI's rule).", param);

    // The rule keeps names free of JSON escapes, so a name is written into prompts and grammars as it is.
    private static bool ValidName(JsonElement name) => name.ValueKind == JsonValueKind.String && NamePattern().IsMatch(name.GetRawText());

    [GeneratedRegex("^\"[a-zA-Z0-9_-]{1,64}\"$")]
    private static partial Regex NamePattern();
}
