using Microsoft.Extensions.Options;
using Momo.Server.Configuration;
using Momo.Server.Generation;

namespace Momo.Server.Streaming;

/// <summary>
/// Streams a generation over server-sent events, the same for every dialect: the writer's opening frames, then the
/// frames of each answer event as the engine's text arrives (whole UTF-8 characters, never part of a stop string;
/// text that may begin a tool call is held back by the <see cref="AnswerReader"/>), then the closing frames. A
/// failure after the stream started (status already 200) is written as the dialect's error event. When the request
/// asked for logprobs, each update's released entries go to an <see cref="ILogprobsStreamWriter"/> with its events.
/// While the engine has nothing new for <c>Momo:StreamKeepAliveSeconds</c> (a long prefill), the writer's keep-alive.
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
        var keepAlive = TimeSpan.FromSeconds(http.RequestServices.GetRequiredService<IOptions<MomoOptions>>().Value.StreamKeepAliveSeconds);
        await using var updates = call.ReadAllAsync(aborted).GetAsyncEnumerator(aborted);
        while (await NextAsync(updates, keepAlive, () => events.WriteAsync(writer.KeepAlive(), aborted), aborted))
        {
            var update = updates.Current;
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

    // The next update; while none comes for a whole interval, one keep-alive per interval. An update that is ready
    // (every token of a running stream) costs no timer.
    private static async ValueTask<bool> NextAsync<T>(IAsyncEnumerator<T> updates, TimeSpan interval, Func<Task> keepAlive, CancellationToken aborted)
    {
        var next = updates.MoveNextAsync();
        if (next.IsCompleted || interval <= TimeSpan.Zero)
        {
            return await next;
        }
        var pending = next.AsTask();
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        while (await Task.WhenAny(pending, Task.Delay(interval, quiet.Token)) != pending)
        {
            if (aborted.IsCancellationRequested)
            {
                break; // the read observes the same token and ends; the enumerator must not be disposed mid-read
            }
            await keepAlive();
        }
        await quiet.CancelAsync(); // the last interval's timer
        return await pending;
    }
}
