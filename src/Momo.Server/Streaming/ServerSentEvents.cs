using System.Text.Json.Serialization.Metadata;

namespace Momo.Server.Streaming;

/// <summary>Writes OpenAI-style server-sent events: <c>data: {json}\n\n</c> per chunk, then <c>data: [DONE]</c>.</summary>
internal sealed class ServerSentEvents(HttpResponse response)
{
    private static readonly byte[] Prefix = "data: "u8.ToArray();
    private static readonly byte[] Separator = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    /// <summary>Sends the headers; call before the first event.</summary>
    public async Task StartAsync(CancellationToken cancellation)
    {
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // keep reverse proxies from buffering the stream
        await response.StartAsync(cancellation);
    }

    /// <summary>Writes one event and flushes it to the client.</summary>
    public async Task WriteAsync<T>(T chunk, JsonTypeInfo<T> type, CancellationToken cancellation)
    {
        await response.Body.WriteAsync(Prefix, cancellation);
        await System.Text.Json.JsonSerializer.SerializeAsync(response.Body, chunk, type, cancellation);
        await response.Body.WriteAsync(Separator, cancellation);
        await response.Body.FlushAsync(cancellation);
    }

    /// <summary>Writes the closing <c>[DONE]</c> event.</summary>
    public async Task DoneAsync(CancellationToken cancellation)
    {
        await response.Body.WriteAsync(Done, cancellation);
        await response.Body.FlushAsync(cancellation);
    }
}
