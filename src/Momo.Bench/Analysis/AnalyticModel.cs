using Momo.Engine.Requests;
using Momo.Engine.Speculation;

namespace Momo.Bench.Analysis;

/// <summary>Acceptance and draft lengths of one mode, the inputs of its analytic rate.</summary>
/// <param name="Mode">Decoding mode.</param>
/// <param name="DraftQualifier">Acceptance of the pyramid's inner stage, by position.</param>
/// <param name="QualifierTarget">Acceptance of the pyramid's outer stage, by position.</param>
/// <param name="DraftTarget">Acceptance of two-tier, by position.</param>
/// <param name="Inner">γ₁, or two-tier's γ.</param>
/// <param name="Outer">γ₂.</param>
/// <param name="Lengths">Target verifications by proposal length ([k]); where given, the model weighs every length the
/// run used (γ adapts per sequence, and G is concave in γ, so the mean γ would overstate the tokens).</param>
/// <param name="Mix">For <c>auto</c>: the chains it actually ran.</param>
internal sealed record ModeInputs(
    DecodingMode Mode, AcceptanceProfile DraftQualifier, AcceptanceProfile QualifierTarget, AcceptanceProfile DraftTarget, int Inner, int Outer,
    IReadOnlyList<long>? Lengths = null, ChainMix? Mix = null);

/// <summary>
/// The chains <c>auto</c> ran in a cell: how many target calls each made at each proposal length, with its measured
/// acceptance by position. <c>auto</c> has no single formula; its expectation is that of the mix it chose.
/// </summary>
/// <param name="TargetOnlyCalls">Target calls without proposals.</param>
/// <param name="Lookup">Lookup → target verifications by length ([k]), and acceptance.</param>
/// <param name="TwoTier">Draft → target verifications by γ, and acceptance.</param>
/// <param name="Pyramid">Qualifier → target verifications by γ₂, and acceptance.</param>
/// <param name="PyramidInner">The pyramid's mean γ₁.</param>
/// <param name="DraftQualifier">Acceptance of the pyramid's inner stage.</param>
internal sealed record ChainMix(
    long TargetOnlyCalls,
    (IReadOnlyList<long> Lengths, AcceptanceProfile Acceptance) Lookup,
    (IReadOnlyList<long> Lengths, AcceptanceProfile Acceptance) TwoTier,
    (IReadOnlyList<long> Lengths, AcceptanceProfile Acceptance) Pyramid,
    int PyramidInner,
    AcceptanceProfile DraftQualifier)
{
    /// <summary>Expected tokens, all calls together.</summary>
    public double Tokens => TargetOnlyCalls + AnalyticModel.Tokens(Lookup.Lengths, Lookup.Acceptance)
        + AnalyticModel.Tokens(TwoTier.Lengths, TwoTier.Acceptance) + AnalyticModel.Tokens(Pyramid.Lengths, Pyramid.Acceptance);

    /// <summary>Target calls of every chain.</summary>
    public long Calls => TargetOnlyCalls + Lookup.Lengths.Sum() + TwoTier.Lengths.Sum() + Pyramid.Lengths.Sum();

    /// <summary>Expected cost of all the calls: each call costs its expected tokens over its <see cref="SpeculationMath"/> rate.</summary>
    public double Cost(TierCostCurve? draft, TierCostCurve? qualifier, TierCostCurve target)
    {
        var cost = TargetOnlyCalls * target.Cost(1);
        cost += AnalyticModel.Cost(Lookup.Lengths, Lookup.Acceptance, k => Lookup.Acceptance.TokensPerVerify(k) / target.Cost(k + 1));
        if (draft is not null)
        {
            cost += AnalyticModel.Cost(TwoTier.Lengths, TwoTier.Acceptance, k => SpeculationMath.TwoTierRate(TwoTier.Acceptance, k, draft, target));
        }
        if (draft is not null && qualifier is not null)
        {
            cost += AnalyticModel.Cost(Pyramid.Lengths, Pyramid.Acceptance,
                k => SpeculationMath.PyramidRate(DraftQualifier, Pyramid.Acceptance, PyramidInner, k, draft, qualifier, target));
        }
        return cost;
    }
}

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
    public static double Rate(ModeInputs inputs, TierCostCurve? draft, TierCostCurve? qualifier, TierCostCurve target)
    {
        if (inputs.Mode == DecodingMode.TargetOnly)
        {
            return SpeculationMath.TargetOnlyRate(target);
        }
        if (inputs.Mode == DecodingMode.Auto)
        {
            var mix = inputs.Mix ?? throw new ArgumentException("auto needs its chain mix");
            return mix.Tokens / mix.Cost(draft, qualifier, target);
        }
        Func<int, double> rate = inputs.Mode == DecodingMode.TwoTier
            ? k => SpeculationMath.TwoTierRate(inputs.DraftTarget, k, draft ?? throw new ArgumentException("two-tier needs a draft curve"), target)
            : k => SpeculationMath.PyramidRate(inputs.DraftQualifier, inputs.QualifierTarget, inputs.Inner, k,
                draft ?? throw new ArgumentException("pyramid needs a draft curve"),
                qualifier ?? throw new ArgumentException("pyramid needs a qualifier curve"), target);
        var acceptance = Verified(inputs);
        return inputs.Lengths is { } lengths
            ? Tokens(lengths, acceptance) / Cost(lengths, acceptance, rate)
            : rate(inputs.Mode == DecodingMode.TwoTier ? inputs.Inner : inputs.Outer);
    }

    /// <summary>Expected target tokens per target call (the acceptance term of the model).</summary>
    public static double TokensPerTargetCall(ModeInputs inputs) => inputs.Mode switch
    {
        DecodingMode.TargetOnly => 1,
        DecodingMode.Auto => inputs.Mix is { Calls: > 0 } mix ? mix.Tokens / mix.Calls : 1,
        _ when inputs.Lengths is { } lengths && lengths.Sum() > 0 => Tokens(lengths, Verified(inputs)) / lengths.Sum(),
        DecodingMode.TwoTier => inputs.DraftTarget.TokensPerVerify(inputs.Inner),
        _ => inputs.QualifierTarget.TokensPerVerify(inputs.Outer),
    };

    /// <summary>Expected seconds per target call including the drafting before it (the cost term): tokens per call / rate.</summary>
    public static double SecondsPerTargetCall(ModeInputs inputs, TierCostCurve? draft, TierCostCurve? qualifier, TierCostCurve target) =>
        TokensPerTargetCall(inputs) / Rate(inputs, draft, qualifier, target);

    /// <summary>Σ over lengths k of calls(k) · G(k): the tokens verifications of these lengths are expected to commit.</summary>
    public static double Tokens(IReadOnlyList<long> lengths, AcceptanceProfile acceptance)
    {
        var tokens = 0.0;
        for (var k = 1; k < lengths.Count; k++)
        {
            tokens += lengths[k] * acceptance.TokensPerVerify(k);
        }
        return tokens;
    }

    /// <summary>Σ over lengths k of calls(k) · G(k) / rate(k): what those verifications are expected to cost.</summary>
    public static double Cost(IReadOnlyList<long> lengths, AcceptanceProfile acceptance, Func<int, double> rate)
    {
        var cost = 0.0;
        for (var k = 1; k < lengths.Count; k++)
        {
            if (lengths[k] > 0)
            {
                cost += lengths[k] * acceptance.TokensPerVerify(k) / rate(k);
            }
        }
        return cost;
    }

    private static AcceptanceProfile Verified(ModeInputs inputs) => inputs.Mode == DecodingMode.TwoTier ? inputs.DraftTarget : inputs.QualifierTarget;
}
