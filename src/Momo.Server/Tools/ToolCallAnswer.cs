using System.Text;
using Momo.Server.Contracts;

namespace Momo.Server.Tools;

/// <summary>
/// A whole (non-streamed) answer split into content and tool calls, through the same parser the stream uses, so
/// both agree. Content is null when the answer only called tools, as OpenAI writes it.
/// </summary>
internal static class ToolCallAnswer
{
    /// <summary>A new call id: <c>call_</c> and 24 random letters and digits.</summary>
    public static string NewId() => "call_" + Guid.NewGuid().ToString("N")[..24];

    /// <summary>The message for <paramref name="text"/>, and whether it holds calls.</summary>
    public static (AssistantMessage Message, bool Called) Split(string text, ToolCallParser parser)
    {
        var content = new StringBuilder();
        var calls = new List<(string Name, StringBuilder Arguments)>();
        foreach (var e in parser.Feed(text).Concat(parser.Finish()))
        {
            switch (e)
            {
                case ToolOutputEvent.Content c:
                    content.Append(c.Text);
                    break;
                case ToolOutputEvent.CallStarted s:
                    calls.Add((s.Name, new StringBuilder()));
                    break;
                case ToolOutputEvent.Arguments a:
                    calls[a.Index].Arguments.Append(a.Fragment);
                    break;
            }
        }
        if (calls.Count == 0)
        {
            return (new AssistantMessage("assistant", content.ToString()), false);
        }
        var toolCalls = calls.Select(c => new ToolCall(NewId(), "function", new FunctionCall(c.Name, c.Arguments.ToString()))).ToList();
        return (new AssistantMessage("assistant", content.Length > 0 ? content.ToString() : null, toolCalls), true);
    }
}
