using Momo.Server.Generation;
using Momo.Server.Logprobs;

namespace Momo.Server.Streaming;

/// <summary>
/// A stream writer whose chunks can carry token log-probabilities (OpenAI's chat and completions chunks). The entries
/// an update releases ride on the last chunk of that update's events, or on a chunk of their own, with empty text,
/// while the text is held back.
/// </summary>
internal interface ILogprobsStreamWriter
{
    IEnumerable<SseFrame> Write(IReadOnlyList<AnswerEvent> pieces, IReadOnlyList<ReleasedLogprob> released);
}
