namespace Momo.Server.Streaming;

/// <summary>Writes server-sent events: <c>event: NAME\n</c> when the frame has a name, then <c>data: ...\n\n</c>; a
/// comment frame as <c>: ...\n\n</c>.</summary>
internal sealed class ServerSentEvents(HttpResponse response)
{
    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] CommentPrefix = ": "u8.ToArray();
    private static readonly byte[] LineEnd = "\n"u8.ToArray();
    private static readonly byte[] Separator = "\n\n"u8.ToArray();

    /// <summary>Sends the headers; call before the first event.</summary>
    public async Task StartAsync(CancellationToken cancellation)
    {
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // keep reverse proxies from buffering the stream
        await response.StartAsync(cancellation);
    }

    /// <summary>Writes frames and flushes them to the client.</summary>
    public async Task WriteAsync(IEnumerable<SseFrame> frames, CancellationToken cancellation)
    {
        foreach (var frame in frames)
        {
            if (frame.IsComment)
            {
                await response.Body.WriteAsync(CommentPrefix, cancellation);
                await response.Body.WriteAsync(frame.Data, cancellation);
                await response.Body.WriteAsync(Separator, cancellation);
                continue;
            }
            if (frame.Event is { } name)
            {
                await response.Body.WriteAsync(EventPrefix, cancellation);
                await response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(name), cancellation);
                await response.Body.WriteAsync(LineEnd, cancellation);
            }
            await response.Body.WriteAsync(DataPrefix, cancellation);
            await response.Body.WriteAsync(frame.Data, cancellation);
            await response.Body.WriteAsync(Separator, cancellation);
        }
        await response.Body.FlushAsync(cancellation);
    }
}
