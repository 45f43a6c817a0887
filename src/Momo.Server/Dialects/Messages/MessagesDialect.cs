using System.Text.Json;
using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Generation;
using Momo.Server.Validation;

namespace Momo.Server.Dialects.Messages;

/// <summary>Anthropic's Messages API into an intent, and an answer back into a message.</summary>
internal static class MessagesDialect
{
    private static readonly IntentFields Fields = new("messages", "stop_sequences", "max_tokens");

    /// <summary>The intent of a body; <paramref name="counting"/> is true for count_tokens, where max_tokens is not needed.</summary>
    public static GenerationIntent ToIntent(MessagesRequest body, LimitOptions limits, bool counting)
    {
        try
        {
            MessagesFields.Check(body);
            if (string.IsNullOrEmpty(body.Model))
            {
                throw ApiException.Invalid("model is required.", "model");
            }
            if (!counting && body.MaxTokens is null)
            {
                throw ApiException.Invalid("max_tokens is required.", "max_tokens");
            }
            if (body.Tools.ValueKind != JsonValueKind.Undefined)
            {
                RequestLimitCheck.CheckTools(body.Tools, limits);
            }
            RequestLimitCheck.CheckMessageCount(body.Messages?.Count ?? 0, limits);
            return new GenerationIntent
            {
                Model = body.Model,
                Prompt = new IntentPrompt.Chat(MessageTurns.Read(body.System, body.Messages)),
                Tools = MessagesTools.Read(body),
                Sampling = new SamplingRequest(body.Temperature, body.TopP, body.TopK),
                Stops = body.StopSequences ?? [],
                MaxTokens = body.MaxTokens,
                Speculative = body.Speculative,
                Fields = Fields,
            };
        }
        catch (InvalidOperationException)
        {
            // JsonElement refuses to decode a lone surrogate escape ("\ud800"); that is the client's malformed text.
            throw ApiException.Invalid("The request holds a string that is not valid UTF-16 (a lone surrogate escape).", null);
        }
    }

    public static MessagesResponse ToResponse(GenerationCall call, Answer answer)
    {
        var content = new List<ContentBlock>();
        if (answer.Text.Length > 0 || answer.Calls.Count == 0)
        {
            content.Add(new TextBlock(answer.Text));
        }
        content.AddRange(answer.Calls.Select(c => new ToolUseBlock(NewToolUseId(), c.Name, Input(c.Arguments))));
        var end = answer.End;
        return new MessagesResponse(
            call.Id, "message", "assistant", call.Runtime.ModelId, content, StopReason(end.Finish), end.StopSequence, Usage(end),
            OpenAiMapping.ToSpeculative(end.Statistics));
    }

    /// <summary>Anthropic's stop_reason.</summary>
    public static string StopReason(AnswerFinish finish) => finish switch
    {
        AnswerFinish.MaxTokens => "max_tokens",
        AnswerFinish.StopSequence => "stop_sequence",
        AnswerFinish.ToolCalls => "tool_use",
        _ => "end_turn",
    };

    /// <summary>input_tokens counts only the prompt tokens computed for this request; the rest were cache reads.</summary>
    public static MessagesUsage Usage(AnswerEnd end) =>
        new(end.UncachedPromptTokens, end.Statistics.CompletionTokens, end.Statistics.CachedPromptTokens);

    public static string NewMessageId() => "msg_" + Guid.NewGuid().ToString("N")[..24];

    public static string NewToolUseId() => "toolu_" + Guid.NewGuid().ToString("N")[..24];

    /// <summary>
    /// A call's arguments as the input object. The grammar makes them a JSON object; only a call cut short by
    /// max_tokens can fail to parse, and its input is then empty (stop_reason max_tokens says why).
    /// </summary>
    public static JsonElement Input(string arguments)
    {
        try
        {
            using var document = JsonDocument.Parse(arguments);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : EmptyObject;
        }
        catch (JsonException)
        {
            return EmptyObject;
        }
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}
