using Momo.Engine;
using Momo.Engine.Speculation;

namespace Momo.Bench.Analysis;

/// <summary>Acceptance and draft lengths of one mode, the inputs of its analytic rate.</summary>
/// <param name="Mode">Decoding mode.</param>
/// <param name="DraftQualifier">Acceptance of the pyramid's inner stage, by position.</param>
/// <param name="QualifierTarget">Acceptance of the pyramid's outer stage, by position.</param>
/// <param name="DraftTarget">Acceptance of two-tier, by position.</param>
/// <param name="Inner">γ₁, or two-tier's γ.</param>
/// <param name="Outer">γ₂.</param>
internal sealed record ModeInputs(
    DecodingMode Mode, AcceptanceProfile DraftQualifier, AcceptanceProfile QualifierTarget, AcceptanceProfile DraftTarget, int Inner, int Outer);

/// <summary>
/// The analytic expectation, always through <see cref="SpeculationMath"/> (the formula the engine's planner uses; there
/// is no second copy here). Concurrency enters through the curves: with c sequences every tier call decodes c times
/// as many tokens, so the batched view cost_c(k) = cost(c·k) / c turns SpeculationMath's per-sequence rate into the
/// aggregate tokens per second of all c sequences.
/// </summary>
internal static class AnalyticModel
{
    /// <summary>Largest per-sequence batch the batched view covers (γ₂ + 1 with γ₂ ≤ 32).</summary>
    public const int MaxTokens = 33;

    /// <summary>The per-sequence view of a tier shared by <paramref name="concurrency"/> sequences.</summary>
    public static TierCostCurve Batched(IReadOnlyList<double> seconds, int concurrency)
    {
        var measured = new TierCostCurve(seconds);
        return new TierCostCurve(Enumerable.Range(1, MaxTokens).Select(k => measured.Cost(k * concurrency) / concurrency).ToArray());
    }

    /// <summary>A GPU-like curve: any batch of up to 16 tokens costs <paramref name="unit"/> (<see cref="TierCostCurve.Flat"/>),
    /// each further 16 one more unit (so γ₂ cannot grow for free beyond what one pass verifies).</summary>
    public static TierCostCurve GpuLike(double unit)
    {
        var flat = TierCostCurve.Flat(unit);
        return new TierCostCurve(Enumerable.Range(1, MaxTokens).Select(k => k <= 16 ? flat.Cost(k) : unit * Math.Ceiling(k / 16.0)).ToArray());
    }

    /// <summary>Expected tokens per second of <paramref name="inputs"/> on curves (draft, qualifier, target).</summary>
    public static double Rate(ModeInputs inputs, TierCostCurve? draft, TierCostCurve? qualifier, TierCostCurve target) => inputs.Mode switch
    {
        DecodingMode.TargetOnly => SpeculationMath.TargetOnlyRate(target),
        DecodingMode.TwoTier => SpeculationMath.TwoTierRate(inputs.DraftTarget, inputs.Inner,
            draft ?? throw new ArgumentException("two-tier needs a draft curve"), target),
        _ => SpeculationMath.PyramidRate(inputs.DraftQualifier, inputs.QualifierTarget, inputs.Inner, inputs.Outer,
            draft ?? throw new ArgumentException("pyramid needs a draft curve"),
            qualifier ?? throw new ArgumentException("pyramid needs a qualifier curve"), target),
    };

    /// <summary>Expected target tokens per target call (the acceptance term of the model).</summary>
    public static double TokensPerTargetCall(ModeInputs inputs) => inputs.Mode switch
    {
        DecodingMode.TargetOnly => 1,
        DecodingMode.TwoTier => inputs.DraftTarget.TokensPerVerify(inputs.Inner),
        _ => inputs.QualifierTarget.TokensPerVerify(inputs.Outer),
    };

    /// <summary>Expected seconds per target call including the drafting before it (the cost term): tokens per call / rate.</summary>
    public static double SecondsPerTargetCall(ModeInputs inputs, TierCostCurve? draft, TierCostCurve? qualifier, TierCostCurve target) =>
        TokensPerTargetCall(inputs) / Rate(inputs, draft, qualifier, target);
}
