namespace Momo.Server.Contracts;

/// <summary>A chat choice's <c>logprobs</c>: one entry per emitted token (OpenAI's shape).</summary>
internal sealed record ChatLogprobs(IReadOnlyList<ChatTokenLogprob> Content);

/// <summary>An emitted token: its text, natural-log probability, UTF-8 bytes, and the most likely tokens at its position.</summary>
internal sealed record ChatTokenLogprob(string Token, float Logprob, IReadOnlyList<int> Bytes, IReadOnlyList<ChatTopLogprob> TopLogprobs);

/// <summary>One of the most likely tokens at a position.</summary>
internal sealed record ChatTopLogprob(string Token, float Logprob, IReadOnlyList<int> Bytes);

/// <summary>
/// A legacy completion choice's <c>logprobs</c>: parallel lists by emitted token; <c>top_logprobs</c> maps token text to
/// log-probability; <c>text_offset</c> is where each token's text starts in the completion text (in characters).
/// </summary>
internal sealed record CompletionLogprobs(
    IReadOnlyList<string> Tokens,
    IReadOnlyList<float> TokenLogprobs,
    IReadOnlyList<Dictionary<string, float>> TopLogprobs,
    IReadOnlyList<int> TextOffset);
