using Momo.Engine.Results;
using Momo.Engine.Sampling;
using Momo.Grammar;

namespace Momo.Engine.Requests;

/// <summary>A tokenized request for the engine.</summary>
/// <param name="Id">Request id, for logs.</param>
/// <param name="PromptTokens">Prompt, already rendered with the chat template and tokenized.</param>
/// <param name="Sampling">Sampling transforms, applied identically to every tier's logits.</param>
/// <param name="MaxTokens">Most completion tokens.</param>
/// <param name="StopSequences">Stop strings; the text before the first match is returned, the match is not.</param>
/// <param name="Speculation">Mode and draft lengths.</param>
public sealed record GenerationRequest(
    string Id,
    IReadOnlyList<int> PromptTokens,
    SamplingParameters Sampling,
    int MaxTokens,
    IReadOnlyList<string> StopSequences,
    SpeculationSettings Speculation)
{
    /// <summary>The grammar the completion must follow (structured output, tool calls); null = free text.</summary>
    public OutputGrammar? Grammar { get; init; }

    /// <summary>
    /// Names a <see cref="FinishReason.Stop"/> finish in the <c>request_success</c> metric from the whole completion
    /// text, for callers whose answer names it otherwise (the chat endpoint answers <c>tool_calls</c> when the completion
    /// ended in tool calls), so the metric agrees with the answers; null counts it as <c>stop</c>. Called once, on the
    /// engine thread, when the request stops; the engine keeps the completion text for it meanwhile.
    /// </summary>
    public Func<string, string>? StopLabel { get; init; }

    /// <summary>
    /// Report each emitted token's log-probability under the target's raw distribution with this many of the most
    /// likely alternatives (<see cref="GenerationUpdate.Logprobs"/>); null reports none and costs nothing.
    /// </summary>
    public int? TopLogprobs { get; init; }
}
