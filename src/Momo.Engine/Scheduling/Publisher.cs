using Microsoft.Extensions.Logging;
using Momo.Engine.Telemetry;

namespace Momo.Engine.Scheduling;

/// <summary>
/// Writes a sequence's updates to its reader: the text of newly committed tokens (held back at stop-string and UTF-8
/// boundaries), and exactly one final update, which also sets the sequence's end state.
/// </summary>
internal sealed partial class Publisher(EngineTelemetry telemetry, int contextPerSequence, ILogger logger)
{
    /// <summary>
    /// Publishes the tokens committed from working index <paramref name="firstNew"/> on (with their
    /// <paramref name="logprobs"/> when the request asked for them), finishing the sequence if they end it.
    /// </summary>
    public void Publish(Sequence sequence, int firstNew, IReadOnlyList<TokenLogprob>? logprobs = null)
    {
        var countedBefore = sequence.Text.CompletionTokens;
        var (text, finish) = sequence.Text.Accept(sequence.Working[firstNew..sequence.CommittedLength]);
        if (finish is null && sequence.WorkingLength >= contextPerSequence)
        {
            (text, finish) = (text + sequence.Text.FlushAll(), FinishReason.Length);
        }
        var newTokens = sequence.Text.CompletionTokens - countedBefore;
        telemetry.TokensPublished(sequence, newTokens);
        if (finish is { } reason)
        {
            Finish(sequence, reason, text, null, newTokens, logprobs);
            return;
        }
        sequence.Completion?.Append(text);
        Write(sequence, new GenerationUpdate(text, newTokens) { Logprobs = logprobs });
    }

    /// <summary>Writes the final update (once; later calls do nothing) and moves the sequence to its end state.</summary>
    public void Finish(Sequence sequence, FinishReason reason, string text, string? error, int newTokens = 0, IReadOnlyList<TokenLogprob>? logprobs = null)
    {
        if (sequence.IsDone)
        {
            return;
        }
        sequence.Completion?.Append(text);
        sequence.State = reason switch
        {
            FinishReason.Error => SequenceState.Failed,
            FinishReason.Cancelled => SequenceState.Cancelled,
            _ => SequenceState.Finished,
        };
        if (Write(sequence, new GenerationUpdate(text, newTokens, reason, sequence.Statistics(), error) { Logprobs = logprobs }))
        {
            sequence.Output.TryComplete();
        }
        telemetry.Finished(sequence, reason);
    }

    /// <summary>
    /// Writes an update; a reader that has left <see cref="EngineOptions.MaxUnreadUpdates"/> unread (a stalled client)
    /// has its request cancelled instead: its reader ends with <see cref="SlowReaderException"/> after what it buffered.
    /// </summary>
    private bool Write(Sequence sequence, GenerationUpdate update)
    {
        if (sequence.Output.TryWrite(update))
        {
            return true;
        }
        if (!sequence.IsDone)
        {
            LogSlowReader(sequence.Request.Id);
            sequence.State = SequenceState.Cancelled;
            telemetry.Finished(sequence, FinishReason.Cancelled);
        }
        sequence.Output.TryComplete(new SlowReaderException(sequence.Request.Id));
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} cancelled: its client stopped reading and its unread updates reached the limit")]
    private partial void LogSlowReader(string requestId);
}
