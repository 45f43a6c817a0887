using Momo.Server.Contracts;

namespace Momo.Server.Tools;

/// <summary>A call in the history: what an assistant turn asked for, arguments exactly as the model wrote them.</summary>
internal sealed record HistoryCall(string? Id, string Name, string Arguments);

/// <summary>One checked message of the conversation: role (developer already mapped to system), text, calls.</summary>
internal sealed record ChatTurn(string Role, string Content, IReadOnlyList<HistoryCall> Calls, string? ToolCallId = null)
{
    private static readonly HashSet<string> Roles = ["system", "developer", "user", "assistant", "tool"];

    /// <summary>Checks the messages; each refusal names the message's field (<c>messages[3].tool_calls[0].function.name</c>).</summary>
    public static List<ChatTurn> Read(List<ChatMessage>? messages)
    {
        if (messages is not { Count: > 0 })
        {
            throw ApiException.Invalid("messages is required and must hold at least one message.", "messages");
        }
        var turns = new List<ChatTurn>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            turns.Add(ReadOne(messages[i], $"messages[{i}]"));
        }
        return turns;
    }

    private static ChatTurn ReadOne(ChatMessage message, string at)
    {
        var role = message.Role;
        if (role is null || !Roles.Contains(role))
        {
            // "function" (the legacy role) lands here too: functions are refused, tools are served.
            throw ApiException.Invalid($"{at}.role must be one of {string.Join(", ", Roles)}.", $"{at}.role");
        }
        if (message.Content is { UnsupportedPartType: { } part } content)
        {
            throw ApiException.Invalid(
                $"{at}.content[{content.UnsupportedPartIndex}] is a '{part}' part; only text parts are supported (the models served read text only).",
                $"{at}.content[{content.UnsupportedPartIndex}]", "unsupported_parameter");
        }
        var calls = new List<HistoryCall>();
        if (message.ToolCalls is { Count: > 0 } toolCalls)
        {
            if (role != "assistant")
            {
                throw ApiException.Invalid($"{at}.tool_calls belongs on assistant messages only.", $"{at}.tool_calls");
            }
            for (var j = 0; j < toolCalls.Count; j++)
            {
                calls.Add(ReadCall(toolCalls[j], $"{at}.tool_calls[{j}]"));
            }
        }
        if (role == "tool" && string.IsNullOrEmpty(message.ToolCallId))
        {
            throw ApiException.Invalid($"{at}.tool_call_id is required on tool messages: it names the call answered.", $"{at}.tool_call_id");
        }
        return new ChatTurn(role == "developer" ? "system" : role, message.Content?.Text ?? "", calls, message.ToolCallId);
    }

    private static HistoryCall ReadCall(RequestToolCall call, string at)
    {
        if (call.Type is { } type && type != "function")
        {
            throw ApiException.Invalid($"{at}.type must be \"function\".", $"{at}.type");
        }
        if (call.Function is not { Name: { Length: > 0 } name } function)
        {
            throw ApiException.Invalid($"{at}.function.name is required.", $"{at}.function.name");
        }
        if (function.Arguments is not { } arguments)
        {
            throw ApiException.Invalid($"{at}.function.arguments is required (a JSON text).", $"{at}.function.arguments");
        }
        return new HistoryCall(call.Id, name, arguments);
    }
}
