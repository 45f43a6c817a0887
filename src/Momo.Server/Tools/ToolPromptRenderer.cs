using System.Text.Encodings.Web;
using System.Text.Json;

namespace Momo.Server.Tools;

/// <summary>
/// Writes tools, assistant tool calls and tool results into the (role, content) pairs llama.cpp's template renders,
/// since its template API knows nothing of tools. Each family gets the text it was trained on: the tool list where
/// its own template puts it, calls in <see cref="ToolCallSyntax"/> (the same text the grammar forces, so history
/// renders exactly as the model wrote it), and results in the turn its template gives them.
/// </summary>
internal static class ToolPromptRenderer
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The conversation as (role, content) pairs for the model's template.</summary>
    public static List<(string Role, string Content)> Render(IReadOnlyList<ChatTurn> turns, IReadOnlyList<ToolDefinition> tools, ToolCallSyntax syntax)
    {
        var result = new List<(string Role, string Content)>(turns.Count + 1);
        var lastUser = -1;
        for (var i = 0; i < turns.Count; i++)
        {
            var turn = turns[i];
            lastUser = turn.Role == "user" ? result.Count : lastUser;
            if (turn.Role != "tool")
            {
                result.Add((turn.Role, turn.Calls.Count == 0 ? turn.Content : turn.Content + syntax.Block(turn.Calls.Select(c => (c.Name, c.Arguments)))));
                continue;
            }
            if (syntax.Format == ChatFormat.Llama3)
            {
                result.Add(("ipython", turn.Content));
                continue;
            }
            // Hermes, generic and Mistral gather a run of results into one user turn, as Qwen's own template does.
            var results = new List<string>();
            for (; i < turns.Count && turns[i].Role == "tool"; i++)
            {
                results.Add(Result(turns[i], syntax.Format));
            }
            i--;
            result.Add(("user", string.Join(syntax.Format == ChatFormat.Mistral ? "" : "\n", results)));
        }
        return tools.Count == 0 ? result : WithTools(result, lastUser, tools, syntax.Format);
    }

    private static string Result(ChatTurn turn, ChatFormat format) => format == ChatFormat.Mistral
        ? "[TOOL_RESULTS]{\"call_id\": " + JsonSerializer.Serialize(turn.ToolCallId, Relaxed) + ", \"content\": "
            + JsonSerializer.Serialize(turn.Content, Relaxed) + "}[/TOOL_RESULTS]"
        : "<tool_response>\n" + turn.Content + "\n</tool_response>";

    private static List<(string Role, string Content)> WithTools(
        List<(string Role, string Content)> chat, int last, IReadOnlyList<ToolDefinition> tools, ChatFormat format)
    {
        if (format == ChatFormat.Mistral)
        {
            // Mistral lists the tools just before the user's last instruction (not before tool results).
            var list = "[AVAILABLE_TOOLS][" + string.Join(", ", tools.Select(t => t.PromptJson)) + "][/AVAILABLE_TOOLS]";
            if (last < 0)
            {
                chat.Add(("user", list));
            }
            else
            {
                chat[last] = ("user", list + chat[last].Content);
            }
            return chat;
        }
        var text = format == ChatFormat.Llama3 ? Llama3Tools(tools) : HermesTools(tools);
        if (chat.Count > 0 && chat[0].Role == "system")
        {
            chat[0] = ("system", chat[0].Content.Length == 0 ? text : chat[0].Content + "\n\n" + text);
        }
        else
        {
            chat.Insert(0, ("system", text));
        }
        return chat;
    }

    // Qwen2.5's own wording of the Hermes tool prompt.
    private static string HermesTools(IReadOnlyList<ToolDefinition> tools) =>
        "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
        + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
        + string.Join("\n", tools.Select(t => t.PromptJson))
        + "\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n"
        + "<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>";

    // Llama 3.1's own wording for JSON tool calls.
    private static string Llama3Tools(IReadOnlyList<ToolDefinition> tools) =>
        "Given the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.\n\n"
        + "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}. Do not use variables.\n\n"
        + string.Join("\n\n", tools.Select(t => t.PromptJson));
}
