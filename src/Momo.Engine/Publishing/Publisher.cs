using Microsoft.Extensions.Logging;
using Momo.Engine.Results;
using Momo.Engine.Scheduling;
using Momo.Engine.Sequences;
using Momo.Engine.Telemetry;

namespace Momo.Engine.Publishing;

/// <summary>
/// Writes a sequence's updates to its reader: the text of newly committed tokens (held back at stop-string and UTF-8
/// boundaries), and the final update. It only writes: what ends a sequence is returned as an <see cref="Ending"/> for
/// the <see cref="Scheduler"/>, which alone changes a sequence's state.
/// </summary>
internal sealed partial class Publisher(EngineTelemetry telemetry, int contextPerSequence, ILogger logger)
{
    /// <summary>
    /// Publishes the tokens committed from working index <paramref name="firstNew"/> on. Returns null while the sequence
    /// goes on; the ending when these tokens end it (the text still to write comes with it, for the final update), or
    /// when its reader has stopped reading (the reader is then already closed). <paramref name="logprobs"/>: the target's
    /// log-probabilities of these tokens, when the request asked for them; they travel with the text they belong to.
    /// </summary>
    public Ending? Publish(Sequence sequence, int firstNew, IReadOnlyList<TokenLogprob>? logprobs = null)
    {
        var countedBefore = sequence.Output.Text.CompletionTokens;
        var (text, finish) = sequence.Output.Text.Accept(sequence.Tokens.Working[firstNew..sequence.Tokens.CommittedLength]);
        if (finish is null && sequence.Tokens.WorkingLength >= contextPerSequence)
        {
            (text, finish) = (text + sequence.Output.Text.FlushAll(), FinishReason.Length);
        }
        var newTokens = sequence.Output.Text.CompletionTokens - countedBefore;
        telemetry.TokensPublished(sequence, newTokens);
        if (finish is { } reason)
        {
            return new Ending(reason, text, newTokens) { Logprobs = logprobs };
        }
        sequence.Output.Completion?.Append(text);
        return Write(sequence, new GenerationUpdate(text, newTokens) { Logprobs = logprobs }) ? null : Ending.ReaderStalled;
    }

    /// <summary>Writes the final update for <paramref name="ending"/> and closes the reader.</summary>
    public void WriteFinal(Sequence sequence, Ending ending)
    {
        sequence.Output.Completion?.Append(ending.Text);
        var update = new GenerationUpdate(ending.Text, ending.NewTokens, ending.Reason, sequence.Statistics(), ending.Error)
        {
            StopSequence = ending.Reason == FinishReason.Stop ? sequence.Output.Text.MatchedStop : null,
            Logprobs = ending.Logprobs,
        };
        if (Write(sequence, update))
        {
            sequence.Output.Writer.TryComplete();
        }
    }

    /// <summary>
    /// Writes an update; a reader that has left <see cref="EngineOptions.MaxUnreadUpdates"/> unread (a stalled client)
    /// is closed instead, with <see cref="SlowReaderException"/> after what it buffered; returns whether it was written.
    /// </summary>
    private bool Write(Sequence sequence, GenerationUpdate update)
    {
        if (sequence.Output.Writer.TryWrite(update))
        {
            return true;
        }
        if (update.Finish is null)
        {
            LogSlowReader(sequence.Request.Id);
        }
        sequence.Output.Writer.TryComplete(new SlowReaderException(sequence.Request.Id));
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} cancelled: its client stopped reading and its unread updates reached the limit")]
    private partial void LogSlowReader(string requestId);
}

/// <summary>
/// How a sequence ends: the finish reason, the text and completion tokens its final update still carries, and the
/// error message of a failure. <see cref="ReaderStalled"/>: the reader stopped reading and is already closed, so no
/// final update is written.
/// </summary>
internal sealed record Ending(FinishReason Reason, string Text = "", int NewTokens = 0, string? Error = null)
{
    /// <summary>The client stopped reading: the request is cancelled, its reader already closed.</summary>
    public static Ending ReaderStalled { get; } = new(FinishReason.Cancelled) { Stalled = true };

    /// <summary>The target's log-probabilities of the tokens whose text the final update carries, when asked for.</summary>
    public IReadOnlyList<TokenLogprob>? Logprobs { get; init; }

    /// <summary>Whether the reader stalled (no final update is written).</summary>
    public bool Stalled { get; private init; }

    /// <summary>A failure with <paramref name="message"/>.</summary>
    public static Ending Failure(string message) => new(FinishReason.Error, Error: message);

    /// <summary>A cancellation: the client went away or the engine stopped.</summary>
    public static Ending Cancellation { get; } = new(FinishReason.Cancelled);
}
