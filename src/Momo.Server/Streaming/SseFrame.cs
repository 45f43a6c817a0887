using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Momo.Server.Streaming;

/// <summary>One server-sent event: an optional event name (Anthropic names each event; OpenAI names none) and its data.</summary>
[SuppressMessage("Performance", "CA1819", Justification = "The event's serialized bytes, made once and written to the response as they are.")]
internal sealed record SseFrame(string? Event, byte[] Data)
{
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
}
