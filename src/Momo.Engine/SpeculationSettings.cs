namespace Momo.Engine;

/// <summary>Per-request speculation choices; nulls mean "adaptive" or "server default".</summary>
/// <param name="Mode">Decoding mode.</param>
/// <param name="DraftTokens">γ₁: tokens the draft proposes per inner round (two-tier: per target call). Null adapts.</param>
/// <param name="QualifiedTokens">γ₂: qualified tokens the target verifies per call (pyramid). Null adapts.</param>
/// <param name="FuzzyThreshold">
/// Opt-in, LOSSY relaxation of the draft→qualifier test (PyramidSD): a draft token is accepted outright where the
/// total-variation distance between draft and qualifier distributions is at most this value. Null keeps the
/// inner stage exact. The outer stage stays exact either way.
/// </param>
public sealed record SpeculationSettings(
    DecodingMode Mode,
    int? DraftTokens = null,
    int? QualifiedTokens = null,
    double? FuzzyThreshold = null)
{
    /// <summary>Most tokens a draft may propose in one round.</summary>
    public const int MaxDraftTokens = 16;

    /// <summary>Most qualified tokens the target verifies in one call.</summary>
    public const int MaxQualifiedTokens = 32;
}
