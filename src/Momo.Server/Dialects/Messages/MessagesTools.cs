using System.Text.Json;
using Momo.Server.Contracts;
using Momo.Server.Tools;

namespace Momo.Server.Dialects.Messages;

/// <summary>
/// <c>tools</c>, <c>tool_choice</c> and <c>output_config.format</c> as a <see cref="ToolRequest"/>. A tool is shown to
/// the model as the same function JSON chat completions show (name, description, parameters = input_schema), so the
/// two dialects give a model the same prompt; <c>defer_loading</c> tools stay out of the prompt but remain callable.
/// Server tools (a <c>type</c> such as web_search_20250305) cannot run here and are refused.
/// </summary>
internal static class MessagesTools
{
    public static ToolRequest Read(MessagesRequest body)
    {
        var tools = Tools(body.Tools);
        var (choice, named, parallel) = Choice(body.ToolChoice, tools);
        var request = new ToolRequest(tools, choice, named, parallel, ResponseFormatKind.Text, null)
        {
            FormatParam = "output_config.format",
            SchemaParam = "output_config.format.schema",
        };
        if (Format(body.OutputConfig) is not { } schema)
        {
            return request;
        }
        return request.MayCall
            ? throw ApiException.Invalid(
                "output_config.format and tool calls cannot be combined: an answer is either tool calls or the structured output. "
                + "Send tool_choice {\"type\":\"none\"} to keep the tools as context only, or leave output_config.format out.",
                "output_config.format", "unsupported_parameter")
            : request with { Format = ResponseFormatKind.JsonSchema, Schema = schema };
    }

    private static List<ToolDefinition> Tools(JsonElement tools)
    {
        var result = new List<ToolDefinition>();
        foreach (var (tool, at) in ToolList.Objects(tools))
        {
            if (tool.TryGetProperty("type", out var type) && type.ValueKind != JsonValueKind.Null && !ToolRequestReader.Is(type, "custom"))
            {
                throw ApiException.Invalid(
                    $"{at}.type {type.GetRawText()} is a server tool, which cannot run here; only client tools (name, input_schema) are served.",
                    $"{at}.type", "unsupported_value");
            }
            var name = ToolRequestReader.FunctionName(tool, $"{at}.name");
            ToolList.RequireNew(result, name, $"{at}.name");
            result.Add(Definition(tool, name, at));
        }
        return result;
    }

    private static ToolDefinition Definition(JsonElement tool, string name, string at)
    {
        var description = "";
        if (tool.TryGetProperty("description", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            description = d.ValueKind == JsonValueKind.String
                ? ",\"description\":" + d.GetRawText()
                : throw ApiException.Invalid($"{at}.description must be a string.", $"{at}.description");
        }
        if (!tool.TryGetProperty("input_schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.Invalid($"{at}.input_schema must be a JSON schema object.", $"{at}.input_schema");
        }
        var deferred = tool.TryGetProperty("defer_loading", out var defer) && defer.ValueKind == JsonValueKind.True;
        // The name passed the name rule, so it is written as it is; description and schema keep their raw escapes.
        var prompt = "{\"type\":\"function\",\"function\":{\"name\":\"" + name + "\"" + description + ",\"parameters\":" + CompactJson.Of(schema) + "}}";
        return new ToolDefinition(name, schema, prompt, $"{at}.input_schema") { Deferred = deferred };
    }

    private static (ToolChoiceKind, string?, bool) Choice(JsonElement choice, List<ToolDefinition> tools)
    {
        var auto = tools.Count > 0 ? ToolChoiceKind.Auto : ToolChoiceKind.None;
        if (choice.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return (auto, null, true);
        }
        if (choice.ValueKind != JsonValueKind.Object || !choice.TryGetProperty("type", out var type))
        {
            throw ApiException.Invalid("tool_choice must be an object: {\"type\": \"auto\" | \"any\" | \"tool\" | \"none\"}.", "tool_choice");
        }
        var parallel = !choice.TryGetProperty("disable_parallel_tool_use", out var disable) || disable.ValueKind switch
        {
            JsonValueKind.True => false,
            JsonValueKind.False or JsonValueKind.Null => true,
            _ => throw ApiException.Invalid("tool_choice.disable_parallel_tool_use must be true or false.", "tool_choice.disable_parallel_tool_use"),
        };
        var kind = ToolRequestReader.Is(type, "auto") ? auto
            : ToolRequestReader.Is(type, "none") ? ToolChoiceKind.None
            : ToolRequestReader.Is(type, "any") ? ToolChoiceKind.Required
            : ToolRequestReader.Is(type, "tool") ? ToolChoiceKind.Named
            : throw ApiException.Invalid("tool_choice.type must be auto, any, tool or none.", "tool_choice.type");
        if (kind is ToolChoiceKind.Required or ToolChoiceKind.Named && tools.Count == 0)
        {
            throw ApiException.Invalid("tool_choice asks for a tool call, but no tools were given.", "tool_choice");
        }
        if (kind != ToolChoiceKind.Named)
        {
            return (kind, null, parallel);
        }
        var name = ToolRequestReader.FunctionName(choice, "tool_choice.name");
        return tools.Any(t => t.Name == name)
            ? (kind, name, parallel)
            : throw ApiException.Invalid($"tool_choice names the tool '{name}', which is not among the tools.", "tool_choice.name");
    }

    /// <summary>output_config.format's schema; effort is accepted and changes nothing; any other key is refused.</summary>
    private static JsonElement? Format(JsonElement config)
    {
        if (config.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        if (config.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.Invalid("output_config must be an object.", "output_config");
        }
        JsonElement? schema = null;
        foreach (var property in config.EnumerateObject())
        {
            if (property.NameEquals("format") && property.Value.ValueKind != JsonValueKind.Null)
            {
                schema = FormatSchema(property.Value);
            }
            else if (!property.NameEquals("effort") && !property.NameEquals("format"))
            {
                throw ApiException.Invalid(
                    $"output_config.{property.Name} is not served; output_config takes effort (accepted, no reasoning model) and format.",
                    $"output_config.{property.Name}", "unsupported_parameter");
            }
        }
        return schema;
    }

    private static JsonElement FormatSchema(JsonElement format)
    {
        if (format.ValueKind != JsonValueKind.Object || !format.TryGetProperty("type", out var type) || !ToolRequestReader.Is(type, "json_schema"))
        {
            throw ApiException.Invalid("output_config.format must be {\"type\": \"json_schema\", \"schema\": {...}}.", "output_config.format.type");
        }
        return format.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.Object
            ? schema
            : throw ApiException.Invalid("output_config.format.schema must be a JSON schema object.", "output_config.format.schema");
    }
}
