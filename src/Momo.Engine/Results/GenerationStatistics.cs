namespace Momo.Engine.Results;

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

    /// <summary>Draft tokens the qualifier checked (pyramid steps).</summary>
    public int QualifierProposedTokens { get; init; }

    /// <summary>Draft tokens the qualifier accepted (pyramid steps).</summary>
    public int QualifierAcceptedTokens { get; init; }

    /// <summary>Tokens prompt lookup proposed to the target.</summary>
    public int LookupProposedTokens { get; init; }

    /// <summary>Lookup tokens the target accepted.</summary>
    public int LookupAcceptedTokens { get; init; }

    /// <summary>Tokens proposed to the target (pyramid: qualified tokens; two-tier: draft tokens).</summary>
    public int TargetProposedTokens { get; init; }

    /// <summary>Proposed tokens the target accepted.</summary>
    public int TargetAcceptedTokens { get; init; }

    /// <summary>Target decode calls (verifications) for this request.</summary>
    public int TargetCalls { get; init; }

    /// <summary>Times the request was preempted (its KV dropped and recomputed later).</summary>
    public int Preemptions { get; init; }

    /// <summary>Share of the drafts the qualifier checked that it accepted (null before any pyramid step).</summary>
    public double? DraftAcceptanceRate => QualifierProposedTokens > 0 ? (double)QualifierAcceptedTokens / QualifierProposedTokens : null;

    /// <summary>Share of proposed tokens the target accepted (null when nothing was proposed).</summary>
    public double? TargetAcceptanceRate => TargetProposedTokens > 0 ? (double)TargetAcceptedTokens / TargetProposedTokens : null;
}
