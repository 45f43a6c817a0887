using System.Globalization;

namespace Momo.Bench.Analysis;

/// <summary>
/// States each target figure as met or missed. A miss names the term of the cost model that is off: the acceptance
/// term (tokens per target call, from α and γ) or the cost term (seconds per target call, from the tier cost curves),
/// by comparing each with what was measured.
/// </summary>
internal static class Findings
{
    /// <summary>Measured speedup over target_only must reach this fraction of the analytic expectation.</summary>
    public const double SpeedupRatioGoal = 0.9;

    /// <summary>The pyramid's measured margin over two-tier may fall this far (absolute) below the predicted one.</summary>
    public const double MarginSlack = 0.10;

    /// <summary>The GPU projection's aims.</summary>
    public const double ProjectedSpeedupGoal = 2.0, ProjectedOverTwoTierGoal = 1.3;

    /// <summary>One line per figure.</summary>
    public static IReadOnlyList<string> Explain(BenchReport report)
    {
        var lines = new List<string>();
        foreach (var row in report.Modes.Where(m => m.Expected is not null && m.Mode != "target_only"))
        {
            var e = row.Expected!;
            var cell = $"{row.Mode} ×{row.Concurrency} T={F(row.Temperature)}";
            var verdict = e.SpeedupRatio >= SpeedupRatioGoal ? "met" : "MISSED";
            var line = $"{cell}: measured speedup {F(e.MeasuredSpeedup)}× vs expected {F(e.Speedup)}× = {P(e.SpeedupRatio)} of the model (goal ≥ {P(SpeedupRatioGoal)}): {verdict}.";
            if (verdict == "MISSED")
            {
                line += " " + Diagnose(row, e, report.Modes.FirstOrDefault(m => m.Mode == "target_only" && m.Concurrency == row.Concurrency && m.Temperature == row.Temperature));
            }
            lines.Add(line);
        }
        foreach (var m in report.Margins)
        {
            lines.Add($"pyramid / two_tier ×{m.Concurrency} T={F(m.Temperature)}: predicted {F(m.Predicted)}, measured {F(m.Measured)} "
                + $"(goal: measured ≥ predicted − {F(MarginSlack)}): {(m.Met ? "met" : "MISSED")}.");
        }
        foreach (var p in report.Projections)
        {
            var ok = p.PyramidSpeedup >= ProjectedSpeedupGoal && p.PyramidOverTwoTier >= ProjectedOverTwoTierGoal;
            var line = $"PROJECTION (GPU-like curves, T={F(p.Temperature)}): pyramid {F(p.PyramidSpeedup)}× target_only (aim ≥ {F(ProjectedSpeedupGoal)}), "
                + $"{F(p.PyramidOverTwoTier)}× two_tier (aim ≥ {F(ProjectedOverTwoTierGoal)}): {(ok ? "met" : "MISSED")}.";
            if (!ok)
            {
                line += $" With α_dq {F(p.AlphaDraftQualifier)}, α_qt {F(p.AlphaQualifierTarget)}, α_dt {F(p.AlphaDraftTarget)} the family's draft already agrees with the "
                    + "target nearly as often as the qualifier does (its agreement gap comes from noise that adds up block by block), so the qualifier's "
                    + "filtering buys little and its cost is not repaid.";
            }
            lines.Add(line);
        }
        if (report.GreedyOutputsIdentical is { } identical)
        {
            lines.Add(identical ? "Greedy outputs were identical across modes." : "Greedy outputs DIFFERED across modes (see README, numerics on real models).");
        }
        return lines;
    }

    private static string Diagnose(ModeReport row, ExpectationReport e, ModeReport? baseline)
    {
        var parts = new List<string>();
        if (row.TokensPerTargetCall is { } tokens && Math.Abs(tokens / e.ModelTokensPerCall - 1) > 0.1)
        {
            parts.Add($"acceptance term off: {F(tokens)} tokens per target call measured vs {F(e.ModelTokensPerCall)} modelled from α and γ "
                + "(acceptance is not independent per position, or generations ended early)");
        }
        if (e.MeasuredSecondsPerCall is { } seconds && Math.Abs(seconds / e.ModelSecondsPerCall - 1) > 0.1)
        {
            parts.Add($"cost term off: {F(seconds * 1e3)} ms per target call measured vs {F(e.ModelSecondsPerCall * 1e3)} ms modelled from the cost curves "
                + "(drafting overheads the curves do not hold: the draft's catch-up decode of accepted tokens, sampling and scheduling per step, "
                + "and batch shapes other than one sequence of k tokens)");
        }
        if (baseline?.Expected is { } b && Math.Abs(b.AbsoluteRatio - 1) > 0.1)
        {
            parts.Add($"target_only itself runs at {P(b.AbsoluteRatio)} of 1/c_t(1), so the baseline's per-token cost is off too");
        }
        return parts.Count == 0 ? "No single term is off by more than 10%; the shortfall is spread over both." : "Why: " + string.Join("; ", parts) + ".";
    }

    /// <summary>Two decimals, invariant.</summary>
    public static string F(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>A percentage.</summary>
    public static string P(double value) => value.ToString("P0", CultureInfo.InvariantCulture);
}
