using System.Text.Json;
using Momo.Server.Contracts;

namespace Momo.Server.Tools;

/// <summary>
/// What every dialect's <c>tools</c> field shares before its own shape: absent or null is no tools, anything else but
/// an array is a 400 naming <c>tools</c>, and each entry is an object named by its path (<c>tools[i]</c>) in errors.
/// </summary>
internal static class ToolList
{
    /// <summary>Whether tools were sent; throws when the field is there but not an array.</summary>
    public static bool IsPresent(JsonElement tools)
    {
        if (tools.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return false;
        }
        return tools.ValueKind == JsonValueKind.Array
            ? true
            : throw ApiException.Invalid("tools must be an array of tool definitions.", "tools");
    }

    /// <summary>Each entry with its path, in order; an entry that is not an object is a 400 naming it.</summary>
    public static List<(JsonElement Tool, string At)> Objects(JsonElement tools)
    {
        if (!IsPresent(tools))
        {
            return [];
        }
        var entries = new List<(JsonElement, string)>(tools.GetArrayLength());
        foreach (var tool in tools.EnumerateArray())
        {
            var at = $"tools[{entries.Count}]";
            entries.Add(tool.ValueKind == JsonValueKind.Object ? (tool, at) : throw ApiException.Invalid($"{at} must be an object.", at));
        }
        return entries;
    }

    /// <summary>Throws when <paramref name="name"/> is already among <paramref name="offered"/>: a call must name one tool.</summary>
    public static void RequireNew(IEnumerable<ToolDefinition> offered, string name, string param, string why = "")
    {
        if (offered.Any(t => t.Name == name))
        {
            throw ApiException.Invalid($"{param} '{name}' is offered twice{why}.", param);
        }
    }
}
