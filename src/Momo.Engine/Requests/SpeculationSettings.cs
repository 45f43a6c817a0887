namespace Momo.Engine.Requests;

/// <summary>Per-request speculation choices; nulls mean "adaptive" or "server default".</summary>
/// <param name="Mode">Decoding mode.</param>
/// <param name="DraftTokens">γ₁: tokens the draft proposes per inner round (two-tier: per target call). Null adapts.</param>
/// <param name="QualifiedTokens">γ₂: qualified tokens the target verifies per call (pyramid). Null adapts.</param>
/// <param name="FuzzyThreshold">
/// Opt-in relaxation of the draft→qualifier test (after PyramidSD): a draft token is accepted outright where the
/// total-variation distance between draft and qualifier distributions is at most this value. The output stays exact:
/// the target verifies each qualified token against the distribution it was truly drawn from. Null: the exact inner test.
/// </param>
/// <param name="Lookup">
/// Prompt lookup under the chain: where the text's latest tokens occurred before, their continuation is proposed to the
/// target for free. Null: on in <c>auto</c>, off in the fixed modes.
/// </param>
/// <param name="LookupTokens">Most tokens one lookup proposes; null: the most the request and batch allow, up to <see cref="MaxLookupTokens"/>.</param>
public sealed record SpeculationSettings(
    DecodingMode Mode,
    int? DraftTokens = null,
    int? QualifiedTokens = null,
    double? FuzzyThreshold = null,
    bool? Lookup = null,
    int? LookupTokens = null)
{
    /// <summary>Most tokens one prompt lookup proposes.</summary>
    public const int MaxLookupTokens = 32;

    /// <summary>Whether prompt lookup runs under the chain.</summary>
    public bool UsesLookup => Lookup ?? Mode == DecodingMode.Auto;

    /// <summary>Most tokens a draft may propose in one round.</summary>
    public const int MaxDraftTokens = 16;

    /// <summary>Most qualified tokens the target verifies in one call.</summary>
    public const int MaxQualifiedTokens = 32;
}
