using Momo.Server.Contracts;
using Momo.Server.Generation;
using Momo.Server.Logprobs;
using Momo.Server.Streaming;

namespace Momo.Server.Dialects.Completions;

/// <summary>Text completion chunks: text pieces, an empty piece with the finish reason, the usage chunk when asked, [DONE].</summary>
internal sealed class CompletionStreamWriter(GenerationCall call, bool includeUsage) : IAnswerStreamWriter, ILogprobsStreamWriter
{
    public IEnumerable<SseFrame> Opening() => [];

    // Completions never parse tool calls, so text is the only event.
    public IEnumerable<SseFrame> Write(AnswerEvent piece) =>
        piece is AnswerEvent.Text t ? [Frame(Chunk([new CompletionChoice(0, t.Content, null)]))] : [];

    public IEnumerable<SseFrame> Write(IReadOnlyList<AnswerEvent> pieces, IReadOnlyList<ReleasedLogprob> released)
    {
        var logprobs = LogprobsMapper.ToCompletion(released, call.Runtime.Text);
        var texts = pieces.OfType<AnswerEvent.Text>().Select(t => t.Content).ToList();
        if (texts.Count == 0)
        {
            return [Frame(Chunk([new CompletionChoice(0, "", null, logprobs)]))];
        }
        return texts.Select((text, i) => Frame(Chunk([new CompletionChoice(0, text, null, i == texts.Count - 1 ? logprobs : null)])));
    }

    public IEnumerable<SseFrame> Closing(AnswerEnd end)
    {
        var speculative = OpenAiMapping.ToSpeculative(end.Statistics);
        yield return Frame(Chunk([new CompletionChoice(0, "", OpenAiMapping.FinishName(end.Finish))]) with { Speculative = speculative });
        if (includeUsage)
        {
            yield return Frame(Chunk([]) with { Usage = OpenAiMapping.ToUsage(end.Statistics), Speculative = speculative });
        }
        yield return SseFrame.Done;
    }

    public IEnumerable<SseFrame> Failure(ApiException failure) => [SseFrame.Json(new ErrorResponse(failure.Error), MomoJsonContext.Default.ErrorResponse), SseFrame.Done];

    private static SseFrame Frame(CompletionResponse chunk) => SseFrame.Json(chunk, MomoJsonContext.Default.CompletionResponse);

    private CompletionResponse Chunk(IReadOnlyList<CompletionChoice> choices) =>
        new(call.Id, "text_completion", call.Created, call.Runtime.ModelId, choices, call.Fingerprint);
}
