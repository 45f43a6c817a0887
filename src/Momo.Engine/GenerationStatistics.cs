namespace Momo.Engine;

/// <summary>Per-request counts of what each stage of speculation did (the response's "speculative" block).</summary>
public sealed record GenerationStatistics
{
    /// <summary>Mode the request ran in at the end (it may degrade under memory pressure).</summary>
    public required string Mode { get; init; }

    /// <summary>Modes the request was degraded from, in order, when KV memory ran short.</summary>
    public IReadOnlyList<string> Degradations { get; init; } = [];

    /// <summary>Prompt tokens.</summary>
    public int PromptTokens { get; init; }

    /// <summary>Prompt tokens whose KV came from the prefix cache instead of being computed.</summary>
    public int CachedPromptTokens { get; init; }

    /// <summary>Completion tokens.</summary>
    public int CompletionTokens { get; init; }

    /// <summary>Tokens the draft proposed.</summary>
    public int DraftedTokens { get; init; }

    /// <summary>Draft tokens the qualifier accepted (pyramid only).</summary>
    public int QualifierAcceptedTokens { get; init; }

    /// <summary>Tokens proposed to the target (pyramid: qualified tokens; two-tier: draft tokens).</summary>
    public int TargetProposedTokens { get; init; }

    /// <summary>Proposed tokens the target accepted.</summary>
    public int TargetAcceptedTokens { get; init; }

    /// <summary>Target decode calls (verifications) for this request.</summary>
    public int TargetCalls { get; init; }

    /// <summary>Times the request was preempted (its KV dropped and recomputed later).</summary>
    public int Preemptions { get; init; }

    /// <summary>Share of drafted tokens the qualifier accepted (pyramid only; null otherwise or before any draft).</summary>
    public double? DraftAcceptanceRate =>
        Mode == DecodingMode.Pyramid.ToApiName() && DraftedTokens > 0 ? (double)QualifierAcceptedTokens / DraftedTokens : null;

    /// <summary>Share of proposed tokens the target accepted (null when nothing was proposed).</summary>
    public double? TargetAcceptanceRate => TargetProposedTokens > 0 ? (double)TargetAcceptedTokens / TargetProposedTokens : null;
}
