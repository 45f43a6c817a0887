using System.Text;
using System.Threading.Channels;
using Momo.Engine.Publishing;
using Momo.Engine.Requests;
using Momo.Engine.Results;

namespace Momo.Engine.Sequences;

/// <summary>Where a sequence's updates go: its reader's channel, the text decoder that decides what is published, and timing.</summary>
internal sealed class SequenceOutput(ChannelWriter<GenerationUpdate> writer, OutputText text, bool keepCompletion)
{
    /// <summary>The request's update channel.</summary>
    public ChannelWriter<GenerationUpdate> Writer => writer;

    /// <summary>Committed tokens → publishable text (UTF-8 boundaries, stop strings, finish reasons).</summary>
    public OutputText Text => text;

    /// <summary>The text published so far, kept only for <see cref="GenerationRequest.StopLabel"/>.</summary>
    public StringBuilder? Completion { get; } = keepCompletion ? new StringBuilder() : null;

    /// <summary>When tokens were last published (Stopwatch timestamp; 0 before the first).</summary>
    public long LastTokenTimestamp { get; set; }
}
