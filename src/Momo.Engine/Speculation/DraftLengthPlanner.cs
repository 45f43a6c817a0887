using Momo.Engine.Requests;

namespace Momo.Engine.Speculation;

/// <summary>
/// Chooses draft lengths that maximise expected tokens per unit of cost (<see cref="SpeculationMath"/>) from a
/// sequence's running acceptance rates and the tiers' measured cost curves. Speculative modes always draft at least
/// one token, so their acceptance estimates keep learning.
/// </summary>
public sealed class DraftLengthPlanner(TierCostCurve? draft, TierCostCurve? qualifier, TierCostCurve target)
{
    /// <summary>Longest inner (or two-tier) draft the planner considers.</summary>
    public const int MaxInner = SpeculationSettings.MaxDraftTokens;

    /// <summary>Longest outer run the planner considers.</summary>
    public const int MaxOuter = SpeculationSettings.MaxQualifiedTokens;

    /// <summary>The target's measured cost curve.</summary>
    public TierCostCurve TargetCost => target;

    /// <summary>γ for two-tier decoding at draft→target acceptance <paramref name="alpha"/>.</summary>
    public int ChooseTwoTier(AcceptanceProfile alpha) => BestTwoTier(alpha).Gamma;

    /// <summary>(γ₁, γ₂) for the pyramid at draft→qualifier acceptance α_dq and qualifier→target acceptance α_qt.</summary>
    public (int Inner, int Outer) ChoosePyramid(AcceptanceProfile alphaDraftQualifier, AcceptanceProfile alphaQualifierTarget)
    {
        var (inner, outer, _) = BestPyramid(alphaDraftQualifier, alphaQualifierTarget);
        return (inner, outer);
    }

    /// <summary>The best two-tier γ and its expected tokens per unit cost (0 without a draft).</summary>
    public (int Gamma, double Rate) BestTwoTier(AcceptanceProfile alpha)
    {
        if (draft is null)
        {
            return (1, 0);
        }
        var best = (Gamma: 1, Rate: 0.0);
        for (var gamma = 1; gamma <= MaxInner; gamma++)
        {
            var rate = SpeculationMath.TwoTierRate(alpha, gamma, draft, target);
            if (rate > best.Rate)
            {
                best = (gamma, rate);
            }
        }
        return best;
    }

    /// <summary>The best pyramid (γ₁, γ₂) and its expected tokens per unit cost (0 without draft and qualifier).</summary>
    public (int Inner, int Outer, double Rate) BestPyramid(AcceptanceProfile alphaDraftQualifier, AcceptanceProfile alphaQualifierTarget)
    {
        if (draft is null || qualifier is null)
        {
            return (1, 1, 0);
        }
        var best = (Inner: 1, Outer: 1, Rate: 0.0);
        for (var inner = 1; inner <= MaxInner; inner++)
        {
            for (var outer = 1; outer <= MaxOuter; outer++)
            {
                var rate = SpeculationMath.PyramidRate(alphaDraftQualifier, alphaQualifierTarget, inner, outer, draft, qualifier, target);
                if (rate > best.Rate)
                {
                    best = (inner, outer, rate);
                }
            }
        }
        return best;
    }

    /// <summary>Expected tokens per unit cost of the target alone.</summary>
    public double TargetOnlyRate => SpeculationMath.TargetOnlyRate(target);

    /// <summary>
    /// The best number of lookup tokens to verify, up to the <paramref name="available"/> ones, and its expected tokens per
    /// unit cost (proposing is free; verifying k tokens costs the target's k + 1 rows).
    /// </summary>
    public (int Count, double Rate) BestLookup(AcceptanceProfile alpha, int available)
    {
        var best = (Count: 0, Rate: 0.0);
        for (var k = 1; k <= available; k++)
        {
            var rate = alpha.TokensPerVerify(k) / target.Cost(k + 1);
            if (rate > best.Rate)
            {
                best = (k, rate);
            }
        }
        return best;
    }

    /// <summary>Cost of caching <paramref name="tokens"/> prompt tokens in the draft and, for the pyramid, the qualifier.</summary>
    public double SmallerTiersPrefillCost(int tokens, bool withQualifier) =>
        (draft?.Cost(tokens) ?? 0) + (withQualifier ? qualifier?.Cost(tokens) ?? 0 : 0);

    /// <summary>An empty step load priced with these curves.</summary>
    public StepLoad NewStepLoad() => new(draft, qualifier, target);

    /// <summary>The curves by tier (draft, qualifier, target; null for absent tiers), as in <see cref="FromMeasurements"/>.</summary>
    public IReadOnlyList<TierCostCurve?> Curves => [draft, qualifier, target];

    /// <summary>
    /// A planner from measured curves (seconds for k = 1..n per tier; null for absent tiers), which the engine's timed
    /// decodes go on refining (<see cref="TierCostCurve.Measured"/>).
    /// </summary>
    public static DraftLengthPlanner FromMeasurements(double[]?[] curves) => new(
        curves[0] is { } d ? TierCostCurve.Measured(d) : null,
        curves[1] is { } q ? TierCostCurve.Measured(q) : null,
        TierCostCurve.Measured(curves[2] ?? throw new ArgumentException("the target's curve is required")));
}
