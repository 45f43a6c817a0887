using Momo.Engine.Requests;

namespace Momo.Engine.Results;

/// <summary>What the engine tells a request's reader after a step: new text, and at the end why it finished.</summary>
/// <param name="Text">New text since the last update (never a split UTF-8 character, never part of a stop string).</param>
/// <param name="NewTokens">Completion tokens committed by this update.</param>
/// <param name="Finish">Set on the last update.</param>
/// <param name="Statistics">Set on the last update.</param>
/// <param name="Error">Set when <paramref name="Finish"/> is <see cref="FinishReason.Error"/>.</param>
public sealed record GenerationUpdate(
    string Text,
    int NewTokens,
    FinishReason? Finish = null,
    GenerationStatistics? Statistics = null,
    string? Error = null)
{
    /// <summary>On a <see cref="FinishReason.Stop"/> update: the stop string that ended generation; null when an
    /// end-of-generation token did.</summary>
    public string? StopSequence { get; init; }

    /// <summary>
    /// When the request asked for them (<see cref="GenerationRequest.TopLogprobs"/>): the target's log-probabilities of
    /// the tokens committed by this update, in order. It may run past the text (held back at a stop string or a split
    /// character) and past the end (a verification can commit tokens after the one that finished the request).
    /// </summary>
    public IReadOnlyList<TokenLogprob>? Logprobs { get; init; }
}
