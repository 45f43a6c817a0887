using System.Text.Json;
using Momo.Server.Contracts;
using Momo.Server.Tools;
using static Momo.Server.Dialects.Responses.JsonFields;

namespace Momo.Server.Dialects.Responses;

/// <summary>
/// Reads <c>tool_choice</c>, <c>parallel_tool_calls</c> and <c>text.format</c> into the same <see cref="ToolRequest"/>
/// chat completions builds, so one grammar and one parser serve both. A <c>tool_choice</c> naming a tool the server
/// cannot run (web_search, file_search, ...) is a 400: the model cannot be made to call what is not in its prompt.
/// </summary>
internal static class ResponsesChoiceReader
{
    public static ToolRequest Read(IReadOnlyDictionary<string, JsonElement> extra, ResponsesTools tools)
    {
        var (choice, named) = Choice(extra.GetValueOrDefault("tool_choice"), tools);
        var parallel = OptionalBool(extra.GetValueOrDefault("parallel_tool_calls"), "parallel_tool_calls") ?? true;
        var (format, schema) = Format(Get(extra.GetValueOrDefault("text"), "format"), extra.GetValueOrDefault("text"));
        var request = new ToolRequest(tools.Functions, choice, named, parallel, format, schema)
        {
            FormatParam = "text.format",
            SchemaParam = "text.format.schema",
        };
        if (request.MayCall && format != ResponseFormatKind.Text)
        {
            throw ApiException.Invalid(
                "text.format and tool calls cannot be combined: an answer is either a function call or the structured output. "
                + "Send tool_choice \"none\" to keep the tools as context only, or leave text.format out.",
                "text.format", "unsupported_parameter");
        }
        return request;
    }

    private static (ToolChoiceKind, string?) Choice(JsonElement choice, ResponsesTools tools)
    {
        var offered = tools.Functions.Count > 0;
        if (IsMissing(choice) || Is(choice, "auto"))
        {
            return (offered ? ToolChoiceKind.Auto : ToolChoiceKind.None, null);
        }
        if (Is(choice, "none"))
        {
            return (ToolChoiceKind.None, null);
        }
        if (Is(choice, "required"))
        {
            return offered
                ? (ToolChoiceKind.Required, null)
                : throw ApiException.Invalid("tool_choice \"required\" asks for a function call, but no functions were given.", "tool_choice");
        }
        if (choice.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.Invalid("tool_choice must be \"auto\", \"none\", \"required\" or {\"type\":\"function\",\"name\":...}.", "tool_choice");
        }
        var type = TypeOf(choice, "tool_choice") ?? throw ApiException.Invalid("tool_choice.type is required.", "tool_choice.type");
        if (ResponsesTools.NotServed.Contains(type))
        {
            throw ApiException.Invalid(
                $"tool_choice names the '{type}' tool, which this server cannot run (it is left out of the prompt); "
                + "only function tools can be chosen.", "tool_choice", "unsupported_value");
        }
        if (type != "function")
        {
            throw ApiException.Invalid($"tool_choice.type '{type}' is not supported; choose a function: {{\"type\":\"function\",\"name\":...}}.",
                "tool_choice.type", "unsupported_value");
        }
        var name = Name(Get(choice, "name"), "tool_choice.name");
        return tools.Offers(name)
            ? (ToolChoiceKind.Named, name)
            : throw ApiException.Invalid($"tool_choice names the function '{name}', which is not among the tools.", "tool_choice.name");
    }

    private static (ResponseFormatKind, JsonElement?) Format(JsonElement format, JsonElement text)
    {
        if (!IsMissing(text) && text.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.Invalid("text must be an object (with format, verbosity).", "text");
        }
        if (IsMissing(format))
        {
            return (ResponseFormatKind.Text, null);
        }
        switch (TypeOf(format, "text.format"))
        {
            case "text":
                return (ResponseFormatKind.Text, null);
            case "json_object":
                return (ResponseFormatKind.JsonObject, null);
            case "json_schema":
                break;
            case null:
                throw ApiException.Invalid("text.format must be an object with a type: text, json_object or json_schema.", "text.format");
            default:
                throw ApiException.Invalid("text.format.type must be text, json_object or json_schema.", "text.format.type", "unsupported_value");
        }
        var name = Get(format, "name");
        if (!IsMissing(name))
        {
            Name(name, "text.format.name");
        }
        OptionalBool(Get(format, "strict"), "text.format.strict");
        OptionalString(Get(format, "description"), "text.format.description");
        var schema = Get(format, "schema");
        return schema.ValueKind == JsonValueKind.Object
            ? (ResponseFormatKind.JsonSchema, schema)
            : throw ApiException.Invalid("text.format.schema must be a JSON schema object.", "text.format.schema");
    }
}
