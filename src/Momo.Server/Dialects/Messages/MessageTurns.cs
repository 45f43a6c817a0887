using System.Text.Json;
using Momo.Server.Contracts;
using Momo.Server.Tools;

namespace Momo.Server.Dialects.Messages;

/// <summary>
/// <c>system</c> and <c>messages</c> as checked turns, in order: the top-level system prompt first; a
/// <c>system</c> entry inside <c>messages</c> stays a system turn where it stands (as chat completions keep one);
/// an assistant message's text and <c>tool_use</c> blocks become one assistant turn with calls; a user message's
/// <c>tool_result</c> blocks become tool turns and its text a user turn, in block order. Text blocks of one message
/// are joined with a blank line. <c>thinking</c> blocks sent back are dropped (no reasoning model is served);
/// image, document and server-tool blocks are refused naming the block.
/// </summary>
internal static class MessageTurns
{
    private const string Joiner = "\n\n";

    public static List<ChatTurn> Read(JsonElement system, List<AnthropicMessage>? messages)
    {
        if (messages is not { Count: > 0 })
        {
            throw ApiException.Invalid("messages is required and must hold at least one message.", "messages");
        }
        var turns = new List<ChatTurn>();
        if (system.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            turns.Add(new ChatTurn("system", Text(system, "system"), []));
        }
        for (var i = 0; i < messages.Count; i++)
        {
            ReadMessage(messages[i], $"messages[{i}]", turns);
        }
        return turns;
    }

    private static void ReadMessage(AnthropicMessage message, string at, List<ChatTurn> turns)
    {
        switch (message.Role)
        {
            case "system":
                turns.Add(new ChatTurn("system", Text(message.Content, $"{at}.content"), []));
                break;
            case "assistant":
                turns.Add(Assistant(message.Content, at));
                break;
            case "user":
                User(message.Content, at, turns);
                break;
            default:
                throw ApiException.Invalid($"{at}.role must be user, assistant or system.", $"{at}.role");
        }
    }

    private static ChatTurn Assistant(JsonElement content, string at)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return new ChatTurn("assistant", content.GetString()!, []);
        }
        var text = new List<string>();
        var calls = new List<HistoryCall>();
        foreach (var (block, type, where) in Blocks(content, $"{at}.content"))
        {
            switch (type)
            {
                case "text":
                    text.Add(BlockText(block, where));
                    break;
                case "tool_use":
                    calls.Add(ToolUse(block, where));
                    break;
                case "thinking" or "redacted_thinking":
                    break;
                default:
                    throw Unsupported(type, where);
            }
        }
        return new ChatTurn("assistant", string.Join(Joiner, text), calls);
    }

    private static void User(JsonElement content, string at, List<ChatTurn> turns)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            turns.Add(new ChatTurn("user", content.GetString()!, []));
            return;
        }
        var text = new List<string>();
        foreach (var (block, type, where) in Blocks(content, $"{at}.content"))
        {
            switch (type)
            {
                case "text":
                    text.Add(BlockText(block, where));
                    break;
                case "tool_result":
                    Flush(text, turns);
                    turns.Add(ToolResult(block, where));
                    break;
                default:
                    throw Unsupported(type, where);
            }
        }
        Flush(text, turns);
    }

    private static void Flush(List<string> text, List<ChatTurn> turns)
    {
        if (text.Count > 0)
        {
            turns.Add(new ChatTurn("user", string.Join(Joiner, text), []));
            text.Clear();
        }
    }

    private static HistoryCall ToolUse(JsonElement block, string at)
    {
        if (!block.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
        {
            throw ApiException.Invalid($"{at}.id is required: the id a later tool_result names.", $"{at}.id");
        }
        var name = ToolRequestReader.FunctionName(block, $"{at}.name");
        if (!block.TryGetProperty("input", out var input) || input.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.Invalid($"{at}.input must be an object of the call's arguments.", $"{at}.input");
        }
        return new HistoryCall(id.GetString(), name, CompactJson.Of(input));
    }

    private static ChatTurn ToolResult(JsonElement block, string at)
    {
        if (!block.TryGetProperty("tool_use_id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 } callId)
        {
            throw ApiException.Invalid($"{at}.tool_use_id is required: it names the tool_use answered.", $"{at}.tool_use_id");
        }
        var content = block.TryGetProperty("content", out var c) && c.ValueKind is not JsonValueKind.Null ? Text(c, $"{at}.content") : "";
        // The model reads that the call failed; the client's own text says how.
        var failed = block.TryGetProperty("is_error", out var isError) && isError.ValueKind == JsonValueKind.True;
        return new ChatTurn("tool", failed ? "Error: " + content : content, [], callId);
    }

    /// <summary>A string, or text blocks joined (system, tool_result content).</summary>
    private static string Text(JsonElement value, string at)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString()!;
        }
        var text = new List<string>();
        foreach (var (block, type, where) in Blocks(value, at))
        {
            text.Add(type == "text" ? BlockText(block, where) : throw Unsupported(type, where));
        }
        return string.Join(Joiner, text);
    }

    private static IEnumerable<(JsonElement Block, string Type, string At)> Blocks(JsonElement content, string at)
    {
        if (content.ValueKind != JsonValueKind.Array)
        {
            throw ApiException.Invalid($"{at} must be a string or an array of content blocks.", at);
        }
        var index = 0;
        foreach (var block in content.EnumerateArray())
        {
            var where = $"{at}[{index++}]";
            if (block.ValueKind != JsonValueKind.Object || !block.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                throw ApiException.Invalid($"{where} must be a content block: an object with a type.", where);
            }
            // The raw text, never decoded: a hostile type (a lone surrogate) cannot throw here.
            yield return (block, type.GetRawText().Trim('"'), where);
        }
    }

    private static string BlockText(JsonElement block, string at) =>
        block.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
            ? text.GetString()!
            : throw ApiException.Invalid($"{at}.text must be a string.", $"{at}.text");

    private static ApiException Unsupported(string type, string at) => type switch
    {
        "image" or "document" => ApiException.Invalid(
            $"{at} is a '{type}' block; only text is supported (the models served read text only).", at, "unsupported_content"),
        _ => ApiException.Invalid(
            $"{at} is a '{type}' block, which is not served here: tool_use belongs in assistant messages, tool_result in user messages, "
            + "text anywhere; server tool blocks cannot run here.", at, "unsupported_content"),
    };
}
