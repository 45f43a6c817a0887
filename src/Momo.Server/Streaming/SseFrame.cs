using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Momo.Server.Streaming;

/// <summary>One server-sent event: an optional event name (Anthropic names each event; OpenAI names none) and its data,
/// or a comment line, which every SSE parser skips.</summary>
[SuppressMessage("Performance", "CA1819", Justification = "The event's serialized bytes, made once and written to the response as they are.")]
internal sealed record SseFrame(string? Event, byte[] Data, bool IsComment = false)
{
    /// <summary>A comment that keeps an idle connection open (<c>: keep-alive</c>); clients ignore it.</summary>
    public static SseFrame KeepAliveComment { get; } = new(null, "keep-alive"u8.ToArray(), IsComment: true);

    /// <summary>OpenAI's closing <c>data: [DONE]</c>.</summary>
    public static SseFrame Done { get; } = new(null, "[DONE]"u8.ToArray());

    /// <summary>An event whose data is <paramref name="value"/> as JSON.</summary>
    public static SseFrame Json<T>(T value, JsonTypeInfo<T> type, string? name = null) => new(name, JsonSerializer.SerializeToUtf8Bytes(value, type));
}

/// <summary>
/// How one dialect writes a streamed answer: the frames that open it, the frames of each <see cref="Generation.AnswerEvent"/>,
/// and the frames that close it, after a normal end or a failure once the stream has started (status already 200).
/// One instance per request: a writer may keep state (open content blocks, call ids).
/// </summary>
internal interface IAnswerStreamWriter
{
    IEnumerable<SseFrame> Opening();

    IEnumerable<SseFrame> Write(Generation.AnswerEvent piece);

    IEnumerable<SseFrame> Closing(Generation.AnswerEnd end);

    IEnumerable<SseFrame> Failure(Contracts.ApiException failure);

    /// <summary>What to send while the answer has nothing new for a while (a long prefill), so that clients and proxies
    /// with idle timeouts keep the stream: an SSE comment unless the dialect has an event for it.</summary>
    IEnumerable<SseFrame> KeepAlive() => [SseFrame.KeepAliveComment];
}
