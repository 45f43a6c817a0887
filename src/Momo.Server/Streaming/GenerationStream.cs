using System.Text.Json.Serialization.Metadata;
using Momo.Engine;
using Momo.Server.Contracts;
using Momo.Server.Endpoints;

namespace Momo.Server.Streaming;

/// <summary>How one endpoint shapes its stream chunks; the order of events is <see cref="GenerationStream"/>'s.</summary>
internal interface IStreamShape<TChunk>
{
    JsonTypeInfo<TChunk> Type { get; }

    /// <summary>The chunk sent before any text (chat: the assistant role), or null for none.</summary>
    TChunk? Opening(GenerationCall call);

    /// <summary>The chunks new text makes (none while text is held back, e.g. what may begin a tool call).</summary>
    IEnumerable<TChunk> Text(GenerationCall call, string text);

    /// <summary>Chunks for text still held back, then the last chunk with a choice: its finish reason and the
    /// speculative statistics.</summary>
    IEnumerable<TChunk> Finish(GenerationCall call, string finishReason, SpeculativeStatistics speculative);

    /// <summary>The usage chunk (no choices), sent when the client asked for it.</summary>
    TChunk Usage(GenerationCall call, Usage usage, SpeculativeStatistics speculative);

    /// <summary>
    /// An update's chunks with the log-probabilities of the tokens they complete: on the last of them, or on a chunk
    /// of their own while the text is held back.
    /// </summary>
    IReadOnlyList<TChunk> WithLogprobs(GenerationCall call, IReadOnlyList<TChunk> chunks, IReadOnlyList<Logprobs.ReleasedLogprob> released);
}

/// <summary>
/// Streams a generation over server-sent events, the same for both endpoints: the opening chunk, text chunks (whole
/// UTF-8 characters, never part of a stop string), a finish chunk with the speculative statistics, the usage chunk
/// when asked, then [DONE]. A failure after the stream started (status already 200) is an error event before [DONE].
/// </summary>
internal static class GenerationStream
{
    public static async Task WriteAsync<TChunk>(HttpContext http, GenerationCall call, bool includeUsage, IStreamShape<TChunk> shape)
    {
        var aborted = http.RequestAborted;
        var events = new ServerSentEvents(http.Response);
        await events.StartAsync(aborted);
        if (shape.Opening(call) is { } opening)
        {
            await events.WriteAsync(opening, shape.Type, aborted);
        }
        await foreach (var update in call.ReadAllAsync(aborted))
        {
            IReadOnlyList<TChunk> chunks = update.Text.Length > 0 ? [.. shape.Text(call, update.Text)] : [];
            if (call.Logprobs?.Release(update) is { Count: > 0 } released)
            {
                chunks = shape.WithLogprobs(call, chunks, released);
            }
            foreach (var chunk in chunks)
            {
                await events.WriteAsync(chunk, shape.Type, aborted);
            }
            if (update.Finish is not { } finish)
            {
                continue;
            }
            if (call.FailureOf(update) is { } failure)
            {
                await events.WriteAsync(new ErrorResponse(failure.Error), MomoJsonContext.Default.ErrorResponse, aborted);
                break;
            }
            var speculative = ResponseMapping.ToSpeculative(update.Statistics!);
            foreach (var chunk in shape.Finish(call, finish.ToApiName(), speculative))
            {
                await events.WriteAsync(chunk, shape.Type, aborted);
            }
            if (includeUsage)
            {
                await events.WriteAsync(shape.Usage(call, ResponseMapping.ToUsage(update.Statistics!), speculative), shape.Type, aborted);
            }
        }
        await events.DoneAsync(aborted);
    }
}
