using System.Text.Json.Serialization.Metadata;
using Momo.Server.Contracts;
using Momo.Server.Endpoints;
using Momo.Server.Tools;

namespace Momo.Server.Streaming;

/// <summary>
/// Chat completion chunks: the assistant role first, then content deltas, then (when the model calls tools)
/// <c>delta.tool_calls</c> pieces: a call's first piece carries its index, id, type and name, later pieces fragments
/// of its arguments as they are generated; last an empty delta with the finish reason (<c>tool_calls</c> when calls
/// were made). One instance per request: it holds the request's tool-call parser.
/// </summary>
internal sealed class ChatStreamShape(ToolCallParser? parser) : IStreamShape<ChatCompletionChunk>
{
    public JsonTypeInfo<ChatCompletionChunk> Type => MomoJsonContext.Default.ChatCompletionChunk;

    public ChatCompletionChunk? Opening(GenerationCall call) => Chunk(call, [new ChatChunkChoice(0, new ChatDelta(Role: "assistant", Content: ""), null)]);

    public IEnumerable<ChatCompletionChunk> Text(GenerationCall call, string text) =>
        parser is null ? [Delta(call, new ChatDelta(Content: text))] : Deltas(call, parser.Feed(text));

    public IEnumerable<ChatCompletionChunk> Finish(GenerationCall call, string finishReason, SpeculativeStatistics speculative)
    {
        var held = parser is null ? [] : Deltas(call, parser.Finish());
        // A call cut short by max_tokens still ends with length, as OpenAI reports it.
        var reason = parser is { Calls: > 0 } && finishReason == "stop" ? "tool_calls" : finishReason;
        return [.. held, Chunk(call, [new ChatChunkChoice(0, new ChatDelta(), reason)]) with { Speculative = speculative }];
    }

    public ChatCompletionChunk Usage(GenerationCall call, Usage usage, SpeculativeStatistics speculative) =>
        Chunk(call, []) with { Usage = usage, Speculative = speculative };

    public IReadOnlyList<ChatCompletionChunk> WithLogprobs(
        GenerationCall call, IReadOnlyList<ChatCompletionChunk> chunks, IReadOnlyList<Logprobs.ReleasedLogprob> released)
    {
        var logprobs = Logprobs.LogprobsMapper.ToChat(released, call.Runtime.Text);
        return chunks.Count == 0
            ? [Chunk(call, [new ChatChunkChoice(0, new ChatDelta(), null, logprobs)])]
            : [.. chunks.SkipLast(1), chunks[^1] with { Choices = [chunks[^1].Choices[0] with { Logprobs = logprobs }] }];
    }

    private List<ChatCompletionChunk> Deltas(GenerationCall call, IReadOnlyList<ToolOutputEvent> events) =>
        [.. events.Select(e => Delta(call, e switch
        {
            ToolOutputEvent.Content c => new ChatDelta(Content: c.Text),
            ToolOutputEvent.CallStarted s => new ChatDelta(ToolCalls:
                [new ToolCallDelta(s.Index, ToolCallAnswer.NewId(), "function", new FunctionDelta(s.Name, ""))]),
            ToolOutputEvent.Arguments a => new ChatDelta(ToolCalls: [new ToolCallDelta(a.Index, Function: new FunctionDelta(Arguments: a.Fragment))]),
            _ => throw new InvalidOperationException("unknown tool output event"),
        }))];

    private static ChatCompletionChunk Delta(GenerationCall call, ChatDelta delta) => Chunk(call, [new ChatChunkChoice(0, delta, null)]);

    private static ChatCompletionChunk Chunk(GenerationCall call, IReadOnlyList<ChatChunkChoice> choices) =>
        new(call.Id, "chat.completion.chunk", call.Created, call.Runtime.ModelId, choices, call.Fingerprint);
}
