using Momo.Engine.Speculation;

namespace Momo.Engine.Tests.Engine;

/// <summary>GPU-like cost curves for the fake tiers (batch verification nearly free), so the planner drafts long runs.</summary>
internal static class FakeCosts
{
    public static DraftLengthPlanner Planner() => new(
        new TierCostCurve(Curve(1.0)), new TierCostCurve(Curve(3.0)), new TierCostCurve(Curve(8.0)));

    private static double[] Curve(double unit) => Enumerable.Range(1, 16).Select(k => unit * (1 + (0.02 * (k - 1)))).ToArray();
}
