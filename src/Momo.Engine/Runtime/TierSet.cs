using Momo.Engine.Requests;

namespace Momo.Engine.Runtime;

/// <summary>Index of a tier in <see cref="TierSet"/>; the pyramid runs draft → qualifier → target.</summary>
public enum Tier
{
    /// <summary>The smallest, cheapest model: proposes tokens.</summary>
    Draft = 0,

    /// <summary>The middle model: filters the draft's proposals.</summary>
    Qualifier = 1,

    /// <summary>The model whose distribution the output follows.</summary>
    Target = 2,
}

/// <summary>The tiers' names in logs, metrics labels and messages: defined here once.</summary>
public static class TierNames
{
    /// <summary>"draft", "qualifier" or "target".</summary>
    public static string ToName(this Tier tier) => tier switch
    {
        Tier.Draft => "draft",
        Tier.Qualifier => "qualifier",
        _ => "target",
    };
}

/// <summary>The loaded tiers. Draft and qualifier are optional: a server with only a target serves target_only.
/// A draft or qualifier whose vocabulary size differs from the target's (padding; the preflight allows up to 128
/// tokens) is shown to the engine with the target's size, so every probability row has one length.</summary>
public sealed class TierSet(ITierModel target, ITierModel? qualifier, ITierModel? draft) : IDisposable
{
    private readonly ITierModel?[] _tiers =
    [
        TargetVocabularyTier.Fit(draft, target.VocabularySize),
        TargetVocabularyTier.Fit(qualifier, target.VocabularySize),
        target,
    ];

    /// <summary>Number of tiers (always three slots; some may be absent).</summary>
    public const int Count = 3;

    /// <summary>The target tier.</summary>
    public ITierModel Target => _tiers[(int)Tier.Target]!;

    /// <summary>The tier at <paramref name="tier"/>, or null when it is not loaded.</summary>
    public ITierModel? this[Tier tier] => _tiers[(int)tier];

    /// <summary>Whether the tiers that <paramref name="mode"/> needs are loaded.</summary>
    public bool Supports(DecodingMode mode) => mode switch
    {
        DecodingMode.TargetOnly => true,
        DecodingMode.TwoTier => _tiers[(int)Tier.Draft] is not null,
        DecodingMode.Pyramid => _tiers[(int)Tier.Draft] is not null && _tiers[(int)Tier.Qualifier] is not null,
        DecodingMode.Auto => true, // it picks among the chains the loaded tiers allow
        _ => false,
    };

    /// <summary>The tiers a mode decodes with, smallest first (auto: every loaded tier).</summary>
    public IReadOnlyList<Tier> TiersOf(DecodingMode mode) => mode switch
    {
        DecodingMode.TargetOnly => [Tier.Target],
        DecodingMode.TwoTier => [Tier.Draft, Tier.Target],
        DecodingMode.Pyramid => [Tier.Draft, Tier.Qualifier, Tier.Target],
        _ => [.. Enum.GetValues<Tier>().Where(tier => this[tier] is not null)],
    };

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tier in _tiers)
        {
            tier?.Dispose();
        }
    }
}
