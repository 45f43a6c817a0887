using System.Text.Json.Serialization.Metadata;
using Momo.Server.Contracts;
using Momo.Server.Endpoints;

namespace Momo.Server.Streaming;

/// <summary>Chat completion chunks: the assistant role first, then content deltas, an empty delta with the finish reason.</summary>
internal sealed class ChatStreamShape : IStreamShape<ChatCompletionChunk>
{
    public static ChatStreamShape Instance { get; } = new();

    public JsonTypeInfo<ChatCompletionChunk> Type => MomoJsonContext.Default.ChatCompletionChunk;

    public ChatCompletionChunk? Opening(GenerationCall call) => Chunk(call, [new ChatChunkChoice(0, new ChatDelta(Role: "assistant", Content: ""), null)]);

    public ChatCompletionChunk Text(GenerationCall call, string text) => Chunk(call, [new ChatChunkChoice(0, new ChatDelta(Content: text), null)]);

    public ChatCompletionChunk Finish(GenerationCall call, string finishReason, SpeculativeStatistics speculative) =>
        Chunk(call, [new ChatChunkChoice(0, new ChatDelta(), finishReason)]) with { Speculative = speculative };

    public ChatCompletionChunk Usage(GenerationCall call, Usage usage, SpeculativeStatistics speculative) =>
        Chunk(call, []) with { Usage = usage, Speculative = speculative };

    private static ChatCompletionChunk Chunk(GenerationCall call, IReadOnlyList<ChatChunkChoice> choices) =>
        new(call.Id, "chat.completion.chunk", call.Created, call.Runtime.ModelId, choices, call.Fingerprint);
}
