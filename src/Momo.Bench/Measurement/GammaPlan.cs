using Momo.Engine.Requests;
using Momo.Engine.Speculation;

namespace Momo.Bench.Measurement;

/// <summary>The draft lengths every request of a mode uses; nulls let the engine adapt them per sequence.</summary>
/// <param name="TwoTier">γ of two-tier.</param>
/// <param name="Inner">γ₁ of the pyramid.</param>
/// <param name="Outer">γ₂ of the pyramid.</param>
/// <param name="Source">How they were chosen (fixed, adaptive, or the planner's optimum after a warm-up).</param>
internal sealed record GammaPlan(int? TwoTier, int? Inner, int? Outer, string Source)
{
    /// <summary>Default fixed lengths where nothing better is known (a remote server, no warm-up).</summary>
    public const int DefaultInner = 4, DefaultOuter = 8;

    /// <summary>(DraftTokens, QualifiedTokens) to send for <paramref name="mode"/>.</summary>
    public (int? Draft, int? Qualified) For(DecodingMode mode) => mode switch
    {
        DecodingMode.TwoTier => (TwoTier, null),
        DecodingMode.Pyramid => (Inner, Outer),
        _ => (null, null),
    };

    /// <summary>The engine's own planner's best fixed lengths for the warm-up's acceptance and the measured curves,
    /// so two-tier and pyramid each run at their own optimum and neither is handicapped by a shared γ.</summary>
    public static GammaPlan FromWarmUp(IReadOnlyList<double[]?> curves, IReadOnlyDictionary<string, StageTally> warmUp)
    {
        var planner = DraftLengthPlanner.FromMeasurements([.. curves]);
        AcceptanceProfile Alpha(string stage) => warmUp.TryGetValue(stage, out var t) && t.ConditionalByPosition() is { Length: > 0 } c ? AcceptanceProfile.ByPosition(c) : 0;
        var twoTier = planner.ChooseTwoTier(Alpha(SpeculationStages.DraftToTarget));
        var (inner, outer) = planner.ChoosePyramid(Alpha(SpeculationStages.DraftToQualifier), Alpha(SpeculationStages.QualifierToTarget));
        return new GammaPlan(twoTier, inner, outer, "planner optimum for the warm-up's acceptance and the measured costs");
    }
}
