using System.Text;
using System.Text.Json;
using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Tools;
using Momo.Server.Validation;
using static Momo.Server.Dialects.Responses.JsonFields;

namespace Momo.Server.Dialects.Responses;

/// <summary>
/// Reads a Responses <c>input</c> into the conversation turns every dialect renders: a string is one user message;
/// items are <c>message</c> (roles user, assistant, system, developer; text parts <c>input_text</c>,
/// <c>output_text</c>, <c>refusal</c>, joined by a line break), <c>function_call</c> (joined to the assistant turn it
/// follows, as chat writes one assistant message with its tool calls) and <c>function_call_output</c> (a tool turn).
/// <c>reasoning</c> items that clients send back are dropped: no model here reasons in hidden tokens, and their
/// encrypted content is another server's. Each refusal names the item's field (<c>input[3].content[1]</c>).
/// </summary>
internal static class ResponsesInputReader
{
    private static readonly HashSet<string> Roles = ["user", "assistant", "system", "developer"];

    /// <summary>The turns of <paramref name="input"/>, after <paramref name="previous"/> (a stored conversation).</summary>
    public static List<ChatTurn> Read(JsonElement? input, IReadOnlyList<ChatTurn> previous, LimitOptions limits)
    {
        var turns = new List<ChatTurn>(previous);
        var value = input ?? default;
        if (value.ValueKind == JsonValueKind.String)
        {
            turns.Add(new ChatTurn("user", String(value, "input"), []));
            return turns;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw ApiException.Invalid("input is required: a string, or an array of input items (messages, function calls and their outputs).", "input");
        }
        RequestLimitCheck.CheckMessageCount(value.GetArrayLength(), limits, "input");
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            ReadItem(item, $"input[{index++}]", turns);
        }
        return turns.Count > 0
            ? turns
            : throw ApiException.Invalid("input holds no message: give at least one.", "input");
    }

    private static void ReadItem(JsonElement item, string at, List<ChatTurn> turns)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.Invalid($"{at} must be an object (an input item).", at);
        }
        switch (TypeOf(item, at))
        {
            case null or "message":
                turns.Add(Message(item, at));
                break;
            case "function_call":
                AddCall(item, at, turns);
                break;
            case "function_call_output":
                turns.Add(new ChatTurn("tool", Output(Get(item, "output"), $"{at}.output"), [], String(Get(item, "call_id"), $"{at}.call_id")));
                break;
            case "reasoning":
                break;
            case "item_reference":
                throw ApiException.Invalid(
                    $"{at} is an item_reference; this server keeps no items by id. Send the item itself, or previous_response_id.",
                    $"{at}.type", "unsupported_value");
            case var other:
                throw ApiException.Invalid(
                    $"{at}.type '{other}' is not supported; input items may be message, function_call, function_call_output or reasoning.",
                    $"{at}.type", "unsupported_value");
        }
    }

    private static ChatTurn Message(JsonElement item, string at)
    {
        var roleJson = Get(item, "role");
        var role = roleJson.ValueKind == JsonValueKind.String ? roleJson.GetRawText()[1..^1] : null;
        if (role is null || !Roles.Contains(role))
        {
            throw ApiException.Invalid($"{at}.role must be one of {string.Join(", ", Roles)}.", $"{at}.role");
        }
        var content = Get(item, "content");
        var text = content.ValueKind == JsonValueKind.String ? String(content, $"{at}.content") : Parts(content, $"{at}.content");
        return new ChatTurn(role == "developer" ? "system" : role, text, []);
    }

    // A function_call right after an assistant turn belongs to it: one answer, its text and its calls.
    private static void AddCall(JsonElement item, string at, List<ChatTurn> turns)
    {
        var call = new HistoryCall(
            String(Get(item, "call_id"), $"{at}.call_id"),
            Name(Get(item, "name"), $"{at}.name"),
            String(Get(item, "arguments"), $"{at}.arguments", "a string (the arguments' JSON text)"));
        if (turns.Count > 0 && turns[^1] is { Role: "assistant" } answer)
        {
            turns[^1] = answer with { Calls = [.. answer.Calls, call] };
        }
        else
        {
            turns.Add(new ChatTurn("assistant", "", [call]));
        }
    }

    // function_call_output.output is a string, or content parts of which only text is served.
    private static string Output(JsonElement output, string at) =>
        output.ValueKind == JsonValueKind.String ? String(output, at) : Parts(output, at);

    private static string Parts(JsonElement parts, string at)
    {
        if (parts.ValueKind != JsonValueKind.Array)
        {
            throw ApiException.Invalid($"{at} must be a string or an array of content parts.", at);
        }
        var text = new StringBuilder();
        var index = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var partAt = $"{at}[{index++}]";
            var field = TypeOf(part, partAt) switch
            {
                "input_text" or "output_text" or "text" => "text",
                "refusal" => "refusal",
                null => throw ApiException.Invalid($"{partAt} must be an object with a type.", partAt),
                var other => throw ApiException.Invalid(
                    $"{partAt} is a '{other}' part; only text parts are supported (the models served read text only).", partAt, "unsupported_parameter"),
            };
            if (text.Length > 0)
            {
                text.Append('\n');
            }
            text.Append(String(Get(part, field), $"{partAt}.{field}"));
        }
        return text.ToString();
    }
}
