using Momo.Engine;
using Momo.Server.Contracts;
using Momo.Server.Streaming;

namespace Momo.Server.Endpoints;

/// <summary>
/// Streams a chat completion: a first chunk with the assistant role, content deltas (whole UTF-8 characters, never
/// part of a stop string), a chunk with an empty delta, the finish reason and the speculative statistics, the usage
/// chunk (empty choices) when asked, then [DONE].
/// </summary>
internal static class ChatStream
{
    public static async Task WriteAsync(HttpContext http, GenerationCall call, bool includeUsage)
    {
        var aborted = http.RequestAborted;
        var events = new ServerSentEvents(http.Response);
        var chunkType = MomoJsonContext.Default.ChatCompletionChunk;
        ChatCompletionChunk Chunk(IReadOnlyList<ChatChunkChoice> choices) =>
            new(call.Id, "chat.completion.chunk", call.Created, call.Runtime.ModelId, choices, call.Fingerprint);

        await events.StartAsync(aborted);
        await events.WriteAsync(Chunk([new ChatChunkChoice(0, new ChatDelta(Role: "assistant", Content: ""), null)]), chunkType, aborted);
        await foreach (var update in call.ReadAllAsync(aborted))
        {
            if (update.Text.Length > 0)
            {
                await events.WriteAsync(Chunk([new ChatChunkChoice(0, new ChatDelta(Content: update.Text), null)]), chunkType, aborted);
            }
            if (update.Finish is not { } finish)
            {
                continue;
            }
            if (call.FailureOf(update) is { } failure)
            {
                await StreamErrors.WriteAsync(events, failure.Error, aborted);
                break;
            }
            var statistics = update.Statistics!;
            var last = Chunk([new ChatChunkChoice(0, new ChatDelta(), ResponseMapping.FinishReasonName(finish))]) with
            {
                Speculative = ResponseMapping.ToSpeculative(statistics),
            };
            await events.WriteAsync(last, chunkType, aborted);
            if (includeUsage)
            {
                var usage = Chunk([]) with { Usage = ResponseMapping.ToUsage(statistics), Speculative = ResponseMapping.ToSpeculative(statistics) };
                await events.WriteAsync(usage, chunkType, aborted);
            }
        }
        await events.DoneAsync(aborted);
    }
}
