using Momo.Server.Generation;

namespace Momo.Server.Streaming;

/// <summary>
/// Streams a generation over server-sent events, the same for every dialect: the writer's opening frames, then the
/// frames of each answer event as the engine's text arrives (whole UTF-8 characters, never part of a stop string;
/// text that may begin a tool call is held back by the <see cref="AnswerReader"/>), then the closing frames. A
/// failure after the stream started (status already 200) is written as the dialect's error event. When the request
/// asked for logprobs, each update's released entries go to an <see cref="ILogprobsStreamWriter"/> with its events.
/// </summary>
internal static class GenerationStream
{
    public static async Task WriteAsync(HttpContext http, GenerationCall call, IAnswerStreamWriter writer)
    {
        var aborted = http.RequestAborted;
        var events = new ServerSentEvents(http.Response);
        await events.StartAsync(aborted);
        await events.WriteAsync(writer.Opening(), aborted);
        var reader = call.NewAnswerReader();
        await foreach (var update in call.ReadAllAsync(aborted))
        {
            var pieces = reader.Feed(update.Text);
            var released = call.Logprobs?.Release(update) ?? [];
            if (released.Count > 0 && writer is ILogprobsStreamWriter withLogprobs)
            {
                await events.WriteAsync(withLogprobs.Write(pieces, released), aborted);
            }
            else if (pieces.Count > 0)
            {
                await events.WriteAsync(pieces.SelectMany(writer.Write), aborted);
            }
            if (update.Finish is not { } finish)
            {
                continue;
            }
            if (call.FailureOf(update) is { } failure)
            {
                await events.WriteAsync(writer.Failure(failure), aborted);
                return;
            }
            var (held, end) = reader.Finish(finish, update.StopSequence, update.Statistics!);
            await events.WriteAsync([.. held.SelectMany(writer.Write), .. writer.Closing(end)], aborted);
            return;
        }
    }
}
