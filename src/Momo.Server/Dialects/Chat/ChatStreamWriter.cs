using Momo.Server.Contracts;
using Momo.Server.Generation;
using Momo.Server.Logprobs;
using Momo.Server.Streaming;
using Momo.Server.Tools;

namespace Momo.Server.Dialects.Chat;

/// <summary>
/// Chat completion chunks: the assistant role first, then content deltas, then (when the model calls tools)
/// <c>delta.tool_calls</c> pieces: a call's first piece carries its index, id, type and name, later pieces fragments
/// of its arguments as they are generated; last an empty delta with the finish reason and the speculative
/// statistics, the usage chunk when asked (<c>stream_options.include_usage</c>), then <c>[DONE]</c>.
/// </summary>
internal sealed class ChatStreamWriter(GenerationCall call, bool includeUsage) : IAnswerStreamWriter, ILogprobsStreamWriter
{
    public IEnumerable<SseFrame> Opening() => [Frame(Chunk([new ChatChunkChoice(0, new ChatDelta(Role: "assistant", Content: ""), null)]))];

    public IEnumerable<SseFrame> Write(AnswerEvent piece) => [Frame(Chunk([new ChatChunkChoice(0, Delta(piece), null)]))];

    public IEnumerable<SseFrame> Write(IReadOnlyList<AnswerEvent> pieces, IReadOnlyList<ReleasedLogprob> released)
    {
        var logprobs = LogprobsMapper.ToChat(released, call.Runtime.Text);
        if (pieces.Count == 0)
        {
            return [Frame(Chunk([new ChatChunkChoice(0, new ChatDelta(), null, logprobs)]))];
        }
        return pieces.Select((piece, i) => Frame(Chunk([new ChatChunkChoice(0, Delta(piece), null, i == pieces.Count - 1 ? logprobs : null)])));
    }

    public IEnumerable<SseFrame> Closing(AnswerEnd end)
    {
        var speculative = OpenAiMapping.ToSpeculative(end.Statistics);
        yield return Frame(Chunk([new ChatChunkChoice(0, new ChatDelta(), OpenAiMapping.FinishName(end.Finish))]) with { Speculative = speculative });
        if (includeUsage)
        {
            yield return Frame(Chunk([]) with { Usage = OpenAiMapping.ToUsage(end.Statistics), Speculative = speculative });
        }
        yield return SseFrame.Done;
    }

    public IEnumerable<SseFrame> Failure(ApiException failure) => [SseFrame.Json(new ErrorResponse(failure.Error), MomoJsonContext.Default.ErrorResponse), SseFrame.Done];

    private static ChatDelta Delta(AnswerEvent piece) => piece switch
    {
        AnswerEvent.Text t => new ChatDelta(Content: t.Content),
        AnswerEvent.CallStarted s => new ChatDelta(ToolCalls: [new ToolCallDelta(s.Index, ToolCallAnswer.NewId(), "function", new FunctionDelta(s.Name, ""))]),
        AnswerEvent.Arguments a => new ChatDelta(ToolCalls: [new ToolCallDelta(a.Index, Function: new FunctionDelta(Arguments: a.Fragment))]),
        _ => throw new InvalidOperationException("unknown answer event"),
    };

    private static SseFrame Frame(ChatCompletionChunk chunk) => SseFrame.Json(chunk, MomoJsonContext.Default.ChatCompletionChunk);

    private ChatCompletionChunk Chunk(IReadOnlyList<ChatChunkChoice> choices) =>
        new(call.Id, "chat.completion.chunk", call.Created, call.Runtime.ModelId, choices, call.Fingerprint);
}
