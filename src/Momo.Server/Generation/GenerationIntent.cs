using Momo.Server.Contracts;
using Momo.Server.Tools;

namespace Momo.Server.Generation;

/// <summary>
/// What a request asks the model for, in no dialect's words: every dialect (chat completions, completions,
/// messages, responses) translates its body into one of these, and <see cref="GenerationPipeline"/> does the rest
/// (model check, limits, tools → grammar, template, tokenize, submit). Field names for errors come in
/// <see cref="Fields"/>, so a refusal names the dialect's own field.
/// </summary>
internal sealed record GenerationIntent
{
    /// <summary>The model the client named; null when the dialect lets it be omitted.</summary>
    public required string? Model { get; init; }

    /// <summary>The conversation (rendered with the model's template) or a raw prompt.</summary>
    public required IntentPrompt Prompt { get; init; }

    /// <summary>Tools, tool choice, parallel calls and structured output, already read and checked.</summary>
    public ToolRequest Tools { get; init; } = ToolRequest.Plain;

    /// <summary>Sampling settings as sent (null = the default).</summary>
    public SamplingRequest Sampling { get; init; } = new();

    /// <summary>Stop strings; the answer ends before the first one found.</summary>
    public IReadOnlyList<string> Stops { get; init; } = [];

    /// <summary>Most completion tokens; null = as many as the context holds.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>
    /// Report each answer token's log-probability with this many of the most likely alternatives; null reports none.
    /// Chat completions, completions and responses read it (their own fields, refused by their own names); messages
    /// refuses logprobs fields.
    /// </summary>
    public int? TopLogprobs { get; init; }

    /// <summary>The momo <c>speculative</c> extension.</summary>
    public SpeculativeOptions? Speculative { get; init; }

    /// <summary>The dialect's names of the fields the pipeline may refuse.</summary>
    public IntentFields Fields { get; init; } = IntentFields.Chat;
}

/// <summary>The prompt of an intent.</summary>
internal abstract record IntentPrompt
{
    /// <summary>Checked turns (system, user, assistant with calls, tool results), for the chat template.</summary>
    internal sealed record Chat(IReadOnlyList<ChatTurn> Turns) : IntentPrompt;

    /// <summary>Text the model continues as it is (special tokens are not parsed).</summary>
    internal sealed record Raw(string Text) : IntentPrompt;
}

/// <summary>Sampling settings as a dialect received them; the ranges are checked once, by the engine's rules.</summary>
internal sealed record SamplingRequest(
    double? Temperature = null, double? TopP = null, int? TopK = null, double? MinP = null,
    double? PresencePenalty = null, double? FrequencyPenalty = null, IReadOnlyDictionary<string, double>? LogitBias = null, long? Seed = null);

/// <summary>How a dialect names the fields a pipeline refusal points at.</summary>
/// <param name="Prompt">The prompt's field (messages, prompt, input).</param>
/// <param name="Stop">The stop strings' field.</param>
/// <param name="MaxTokens">The completion limit's field.</param>
internal sealed record IntentFields(string Prompt, string Stop, string MaxTokens)
{
    /// <summary>Chat completions' names.</summary>
    public static IntentFields Chat { get; } = new("messages", "stop", "max_tokens");
}
