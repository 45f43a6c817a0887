namespace Momo.Engine.Results;

/// <summary>
/// An emitted token's log-probability under the target's raw distribution (log-softmax of its logits, before the
/// request's sampling transforms), with the most likely tokens at that position.
/// </summary>
/// <param name="Token">The emitted token.</param>
/// <param name="Logprob">Its natural-log probability.</param>
/// <param name="Top">The most likely tokens at the position, best first (as many as the request asked for).</param>
public sealed record TokenLogprob(int Token, float Logprob, IReadOnlyList<TokenAlternative> Top);

/// <summary>One of the most likely tokens at a position, with its natural-log probability.</summary>
/// <param name="Token">Token id.</param>
/// <param name="Logprob">Its natural-log probability under the target's raw distribution.</param>
public readonly record struct TokenAlternative(int Token, float Logprob);
