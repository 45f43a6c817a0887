namespace Momo.Engine.Speculation;

/// <summary>
/// The analytic throughput model shared by the draft-length planner and the benchmark: expected tokens per unit of
/// cost for each mode, from acceptance rates and per-tier cost curves.
/// <list type="bullet">
/// <item>target_only: 1 / c_t(1)</item>
/// <item>two_tier(γ): G(α_dt, γ) / (γ·c_d(1) + c_t(γ + 1))</item>
/// <item>pyramid(γ₁, γ₂): G(α_qt, γ₂) / (γ₂ / G(α_dq, γ₁) · (γ₁·c_d(1) + c_q(γ₁ + 1)) + c_t(γ₂ + 1)), where the inner
/// round count γ₂ / G(α_dq, γ₁) is the expected (fractional) number of inner rounds to gather γ₂ qualified tokens</item>
/// </list>
/// with G(α, γ) = <see cref="AcceptanceProfile.TokensPerVerify"/> (α by position, or one α at every position).
/// </summary>
public static class SpeculationMath
{
    /// <summary>Tokens per unit cost decoding with the target alone.</summary>
    public static double TargetOnlyRate(TierCostCurve target) => 1 / target.Cost(1);

    /// <summary>Expected tokens per unit cost of two-tier speculation with γ drafts.</summary>
    public static double TwoTierRate(AcceptanceProfile alphaDraftTarget, int gamma, TierCostCurve draft, TierCostCurve target) =>
        alphaDraftTarget.TokensPerVerify(gamma) / ((gamma * draft.Cost(1)) + target.Cost(gamma + 1));

    /// <summary>Expected tokens per unit cost of the pyramid with γ₁ drafts per inner round and γ₂ qualified tokens per target call.</summary>
    public static double PyramidRate(
        AcceptanceProfile alphaDraftQualifier, AcceptanceProfile alphaQualifierTarget, int innerGamma, int outerGamma,
        TierCostCurve draft, TierCostCurve qualifier, TierCostCurve target)
    {
        var qualifiedPerRound = alphaDraftQualifier.TokensPerVerify(innerGamma);
        var innerRounds = outerGamma / qualifiedPerRound;
        var innerCost = (innerGamma * draft.Cost(1)) + qualifier.Cost(innerGamma + 1);
        var cost = (innerRounds * innerCost) + target.Cost(outerGamma + 1);
        return alphaQualifierTarget.TokensPerVerify(outerGamma) / cost;
    }
}
