using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Generation;
using Momo.Server.Logprobs;
using Momo.Server.Tools;
using Momo.Server.Validation;

namespace Momo.Server.Dialects.Chat;

/// <summary>OpenAI chat completions into an intent, and an answer back into a chat completion.</summary>
internal static class ChatDialect
{
    public static GenerationIntent ToIntent(ChatCompletionRequest body, LimitOptions limits)
    {
        OpenAiIntent.CheckBody(body, limits);
        RequestLimitCheck.CheckMessageCount(body.Messages?.Count ?? 0, limits);
        var turns = ChatTurn.Read(body.Messages);
        return OpenAiIntent.From(body, new IntentPrompt.Chat(turns), ToolRequestReader.Read(body, chat: true), "messages") with
        {
            TopLogprobs = LogprobsRequest.Read(body, chat: true),
        };
    }

    public static ChatCompletionResponse ToResponse(GenerationCall call, Answer answer)
    {
        var calls = answer.Calls.Select(c => new ToolCall(ToolCallAnswer.NewId(), "function", new FunctionCall(c.Name, c.Arguments))).ToList();
        // Content is null when the answer only called tools, as OpenAI writes it.
        var message = calls.Count == 0
            ? new AssistantMessage("assistant", answer.Text)
            : new AssistantMessage("assistant", answer.Text.Length > 0 ? answer.Text : null, calls);
        var statistics = answer.End.Statistics;
        return new ChatCompletionResponse(
            call.Id, "chat.completion", call.Created, call.Runtime.ModelId, [new ChatChoice(0, message, OpenAiMapping.FinishName(answer.End.Finish),
                answer.Logprobs is { } logprobs ? LogprobsMapper.ToChat(logprobs, call.Runtime.Text) : null)],
            OpenAiMapping.ToUsage(statistics), OpenAiMapping.ToSpeculative(statistics), call.Fingerprint);
    }
}
