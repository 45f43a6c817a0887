using Momo.Engine.Requests;
using Momo.Engine.Results;

namespace Momo.Bench.Measurement;

/// <summary>One benchmark request as the client saw it. Times are seconds since the request was sent.</summary>
/// <param name="Mode">Mode requested.</param>
/// <param name="Set">Prompt set of the prompt.</param>
/// <param name="CompletionTokens">Tokens generated.</param>
/// <param name="FirstToken">Time to the first generated token.</param>
/// <param name="LastToken">Time to the last generated token.</param>
/// <param name="SentAt">When the request was sent, seconds since the bench started (to align a concurrent round).</param>
/// <param name="Text">Generated text (greedy runs compare it across modes).</param>
/// <param name="Statistics">The server's speculation counts, when it reports them.</param>
/// <param name="FirstTokens">Tokens delivered with the first one (a speculative step may commit several at once).</param>
/// <param name="PromptTokens">Prompt tokens, as the server counted them (0 when it did not say).</param>
internal sealed record RequestResult(
    DecodingMode Mode,
    string Set,
    int CompletionTokens,
    double FirstToken,
    double LastToken,
    double SentAt,
    string Text,
    GenerationStatistics? Statistics,
    int FirstTokens = 1,
    int PromptTokens = 0)
{
    /// <summary>Mean time per token after the first delivery (null when everything came at once).</summary>
    public double? InterTokenLatency => CompletionTokens > FirstTokens ? (LastToken - FirstToken) / (CompletionTokens - FirstTokens) : null;
}
