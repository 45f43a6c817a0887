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

/// <summary>The loaded tiers. Draft and qualifier are optional: a server with only a target serves target_only.</summary>
public sealed class TierSet(ITierModel target, ITierModel? qualifier, ITierModel? draft) : IDisposable
{
    private readonly ITierModel?[] _tiers = [draft, qualifier, target];

    /// <summary>Number of tiers (always three slots; some may be absent).</summary>
    public const int Count = 3;

    /// <summary>The target tier.</summary>
    public ITierModel Target => target;

    /// <summary>The tier at <paramref name="tier"/>, or null when it is not loaded.</summary>
    public ITierModel? this[Tier tier] => _tiers[(int)tier];

    /// <summary>Whether the tiers that <paramref name="mode"/> needs are loaded.</summary>
    public bool Supports(DecodingMode mode) => mode switch
    {
        DecodingMode.TargetOnly => true,
        DecodingMode.TwoTier => draft is not null,
        DecodingMode.Pyramid => draft is not null && qualifier is not null,
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
