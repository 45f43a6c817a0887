namespace Momo.Engine.Scheduling;

/// <summary>
/// The tiers a sequence uses in one step, bottom to top, always ending at the target. A fixed mode runs its own chain
/// (or the lookup chain when prompt lookup found a continuation); <c>auto</c> picks one per step.
/// </summary>
internal enum Chain
{
    /// <summary>The target alone: one token.</summary>
    TargetOnly,

    /// <summary>Prompt lookup proposes (free), the target verifies.</summary>
    Lookup,

    /// <summary>The draft proposes, the target verifies.</summary>
    TwoTier,

    /// <summary>The draft proposes, the qualifier filters, the target verifies.</summary>
    Pyramid,
}
