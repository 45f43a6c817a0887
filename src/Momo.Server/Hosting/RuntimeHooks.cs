using Momo.Engine.Runtime;

namespace Momo.Server.Hosting;

/// <summary>
/// Test seams the runtime consults once, when it loads the models. Only tests register one (tests/Momo.Server.Tests'
/// ServerInstance); production registers none, and the runtime then decodes through the loaded tiers themselves and
/// times the request limit on the system clock: no wrapper, no cost.
/// </summary>
internal sealed class RuntimeHooks
{
    /// <summary>
    /// Wraps a loaded tier before the engine decodes through it (the cost calibration still times the loaded tier).
    /// Tests wrap the target in tests/Momo.Testing's decode gate, which holds a generation while they act. The wrapper
    /// must not dispose the tier: the runtime does.
    /// </summary>
    public Func<Tier, ITierModel, ITierModel>? WrapTier { get; init; }

    /// <summary>The clock of the request time limit (Momo:RequestTimeoutSeconds): tests move a fake one.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>The tiers the engine decodes through: <paramref name="loaded"/>, each wrapped when a test asks.</summary>
    public TierSet EngineTiers(TierSet loaded) => WrapTier is not { } wrap ? loaded : new(
        wrap(Tier.Target, loaded.Target),
        loaded[Tier.Qualifier] is { } qualifier ? wrap(Tier.Qualifier, qualifier) : null,
        loaded[Tier.Draft] is { } draft ? wrap(Tier.Draft, draft) : null);
}
