using Momo.Engine.Requests;

namespace Momo.Engine.Speculation;

/// <summary>
/// The names of the verifying stages, as metrics labels, response statistics and benchmark reports spell them:
/// defined here once.
/// </summary>
public static class SpeculationStages
{
    /// <summary>The pyramid's inner stage: the qualifier verifies the draft.</summary>
    public const string DraftToQualifier = "draft_to_qualifier";

    /// <summary>The pyramid's outer stage: the target verifies qualified tokens.</summary>
    public const string QualifierToTarget = "qualifier_to_target";

    /// <summary>Two-tier decoding: the target verifies the draft.</summary>
    public const string DraftToTarget = "draft_to_target";

    /// <summary>Prompt lookup: the target verifies the continuation of an earlier occurrence of the latest tokens.</summary>
    public const string LookupToTarget = "lookup_to_target";

    /// <summary>The stages a mode runs (without lookup), inner first; auto may run any.</summary>
    public static IReadOnlyList<string> Of(DecodingMode mode) => mode switch
    {
        DecodingMode.Pyramid => [DraftToQualifier, QualifierToTarget],
        DecodingMode.TwoTier => [DraftToTarget],
        DecodingMode.Auto => [DraftToQualifier, QualifierToTarget, DraftToTarget, LookupToTarget],
        _ => [],
    };
}
