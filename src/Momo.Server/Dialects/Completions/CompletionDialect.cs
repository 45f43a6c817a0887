using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Generation;
using Momo.Server.Logprobs;
using Momo.Server.Tools;

namespace Momo.Server.Dialects.Completions;

/// <summary>OpenAI legacy completions into an intent (a raw prompt), and an answer back into a text completion.</summary>
internal static class CompletionDialect
{
    public static GenerationIntent ToIntent(CompletionRequest body, LimitOptions limits)
    {
        OpenAiIntent.CheckBody(body, limits);
        if (body.Prompt is not { Count: 1 } prompt)
        {
            throw ApiException.Invalid("prompt is required: one string (batches of prompts are not supported).", "prompt");
        }
        // response_format applies here too; tools do not (the reader refuses them).
        return OpenAiIntent.From(body, new IntentPrompt.Raw(prompt[0]), ToolRequestReader.Read(body, chat: false), "prompt") with
        {
            TopLogprobs = LogprobsRequest.Read(body, chat: false),
        };
    }

    public static CompletionResponse ToResponse(GenerationCall call, Answer answer) => new(
        call.Id, "text_completion", call.Created, call.Runtime.ModelId,
        [new CompletionChoice(0, answer.Text, OpenAiMapping.FinishName(answer.End.Finish),
            answer.Logprobs is { } logprobs ? LogprobsMapper.ToCompletion(logprobs, call.Runtime.Text) : null)],
        call.Fingerprint, OpenAiMapping.ToUsage(answer.End.Statistics), OpenAiMapping.ToSpeculative(answer.End.Statistics));
}
