using System.Text;
using System.Text.Json;
using Momo.Server.Contracts;
using Momo.Server.Tools;
using static Momo.Server.Dialects.Responses.JsonFields;

namespace Momo.Server.Dialects.Responses;

/// <summary>
/// The request's tools as the model sees them: <c>function</c> tools, and the functions nested in a
/// <c>namespace</c> tool under their own names (a call of one answers with its namespace). Tools the server cannot
/// run (hosted ones such as <c>web_search</c>, and client-run kinds whose calls are not function calls) are left
/// out of the prompt and reported in <see cref="Dropped"/>.
/// </summary>
/// <param name="Functions">Offered functions, in the request's order, namespaced ones in place.</param>
/// <param name="Namespaces">Function name → its namespace, for the functions nested in one.</param>
/// <param name="Dropped">The type of each tool left out.</param>
internal sealed record ResponsesTools(
    IReadOnlyList<ToolDefinition> Functions, IReadOnlyDictionary<string, string> Namespaces, IReadOnlyList<string> Dropped)
{
    /// <summary>Tool types no model here can call through a function call: hosted tools and client-run special kinds.</summary>
    public static readonly HashSet<string> NotServed =
    [
        "web_search", "web_search_preview", "web_search_preview_2025_03_11", "web_search_2025_08_26", "file_search", "image_generation",
        "code_interpreter", "mcp", "computer_use_preview", "computer", "computer_use", "local_shell", "shell", "apply_patch", "custom", "tool_search",
    ];

    /// <summary>Reads <c>tools</c> (absent or null: none).</summary>
    public static ResponsesTools Read(JsonElement tools)
    {
        var result = new Collected();
        if (!ToolList.IsPresent(tools))
        {
            return result.ToTools();
        }
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            result.ReadTool(tool, $"tools[{index++}]", inNamespace: null);
        }
        return result.ToTools();
    }

    /// <summary>Whether a function called <paramref name="name"/> is offered.</summary>
    public bool Offers(string name) => Functions.Any(f => f.Name == name);

    private sealed class Collected
    {
        private readonly List<ToolDefinition> _functions = [];
        private readonly Dictionary<string, string> _namespaces = new(StringComparer.Ordinal);
        private readonly List<string> _dropped = [];

        public ResponsesTools ToTools() => new(_functions, _namespaces, _dropped);

        public void ReadTool(JsonElement tool, string at, string? inNamespace)
        {
            if (tool.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.Invalid($"{at} must be an object.", at);
            }
            var type = TypeOf(tool, at) ?? throw ApiException.Invalid($"{at}.type is required.", $"{at}.type");
            if (type == "function")
            {
                AddFunction(tool, at, inNamespace);
            }
            else if (type == "namespace" && inNamespace is null)
            {
                ReadNamespace(tool, at);
            }
            else if (NotServed.Contains(type))
            {
                _dropped.Add(type);
            }
            else
            {
                throw ApiException.Invalid(
                    $"{at}.type '{type}' is not supported; tools may be function or namespace (hosted tools such as web_search are left out).",
                    $"{at}.type", "unsupported_value");
            }
        }

        private void ReadNamespace(JsonElement tool, string at)
        {
            var name = Name(Get(tool, "name"), $"{at}.name");
            OptionalString(Get(tool, "description"), $"{at}.description");
            var nested = Get(tool, "tools");
            if (nested.ValueKind != JsonValueKind.Array)
            {
                throw ApiException.Invalid($"{at}.tools must be an array of the namespace's functions.", $"{at}.tools");
            }
            var index = 0;
            foreach (var function in nested.EnumerateArray())
            {
                ReadTool(function, $"{at}.tools[{index++}]", name);
            }
        }

        private void AddFunction(JsonElement tool, string at, string? inNamespace)
        {
            var name = Name(Get(tool, "name"), $"{at}.name");
            ToolList.RequireNew(_functions, name, $"{at}.name", " (namespaced functions are called by their own names)");
            OptionalString(Get(tool, "description"), $"{at}.description");
            OptionalBool(Get(tool, "strict"), $"{at}.strict");
            var parameters = Get(tool, "parameters");
            if (!IsMissing(parameters) && parameters.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.Invalid($"{at}.parameters must be a JSON schema object.", $"{at}.parameters");
            }
            _functions.Add(new ToolDefinition(name, IsMissing(parameters) ? null : parameters, PromptJson(tool), $"{at}.parameters"));
            if (inNamespace is not null)
            {
                _namespaces[name] = inNamespace;
            }
        }

        // The model reads the chat completions shape it was trained on: {"type":"function","function":{name, description, parameters}}.
        private static string PromptJson(JsonElement tool)
        {
            var function = new StringBuilder("{");
            foreach (var field in new[] { "name", "description", "parameters" })
            {
                if (tool.TryGetProperty(field, out var value) && !IsMissing(value))
                {
                    function.Append(function.Length > 1 ? "," : "").Append('"').Append(field).Append("\":").Append(CompactJson.Of(value));
                }
            }
            return "{\"type\":\"function\",\"function\":" + function.Append('}') + "}";
        }
    }
}
