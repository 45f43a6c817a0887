using System.Text.Json;
using Momo.Engine;
using Momo.Server.Contracts;
using Momo.Server.Endpoints;
using Momo.Server.Streaming;

namespace Momo.Server.Responses;

/// <summary>
/// Streams a response as OpenAI's Responses events, each written <c>event: TYPE\ndata: JSON\n\n</c>:
/// <c>response.created</c>, <c>response.in_progress</c>, the output items' events (<see cref="ResponseAssembler"/>),
/// then <c>response.completed</c> or <c>response.incomplete</c> with the whole response. A failure after the stream
/// started (status already 200) ends it with <c>response.failed</c> carrying the error. No <c>[DONE]</c>: the
/// Responses stream ends with its last event.
/// </summary>
internal static class ResponseEventStream
{
    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] DataPrefix = "\ndata: "u8.ToArray();
    private static readonly byte[] Separator = "\n\n"u8.ToArray();

    /// <summary>Streams the generation; returns the finished response, or null when it failed.</summary>
    public static async Task<ResponseObject?> WriteAsync(HttpContext http, GenerationCall call, ResponseAssembler assembler, ResponseObject inProgress)
    {
        var aborted = http.RequestAborted;
        await new ServerSentEvents(http.Response).StartAsync(aborted);
        await WriteAllAsync(http.Response, assembler.Opening(inProgress), aborted);
        await foreach (var update in call.ReadAllAsync(aborted))
        {
            if (update.Text.Length > 0)
            {
                await WriteAllAsync(http.Response, assembler.Text(update.Text), aborted);
            }
            if (update.Finish is not { } finish)
            {
                continue;
            }
            if (call.FailureOf(update) is { } failure)
            {
                await WriteAllAsync(http.Response, [assembler.Closing(ResponseEcho.Failed(inProgress, assembler.Output, failure.Error))], aborted);
                return null;
            }
            await WriteAllAsync(http.Response, assembler.Finish(finish == FinishReason.Length), aborted);
            var finished = ResponseEcho.Finished(inProgress, assembler.Output, finish, update.Statistics!);
            await WriteAllAsync(http.Response, [assembler.Closing(finished)], aborted);
            return finished;
        }
        return null;
    }

    private static async Task WriteAllAsync(HttpResponse response, IReadOnlyList<ResponseStreamEvent> events, CancellationToken cancellation)
    {
        if (events.Count == 0)
        {
            return;
        }
        foreach (var e in events)
        {
            await response.Body.WriteAsync(EventPrefix, cancellation);
            await response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(e.Type), cancellation);
            await response.Body.WriteAsync(DataPrefix, cancellation);
            await JsonSerializer.SerializeAsync(response.Body, e, MomoJsonContext.Default.ResponseStreamEvent, cancellation);
            await response.Body.WriteAsync(Separator, cancellation);
        }
        await response.Body.FlushAsync(cancellation);
    }
}
