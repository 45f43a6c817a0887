using System.Text;
using Momo.Bench.Analysis;
using Momo.Engine.Speculation;
using static Momo.Bench.Analysis.Findings;

namespace Momo.Bench.Output;

/// <summary>Renders the report as Markdown (report.md), the form pasted into the README.</summary>
internal static class MarkdownReport
{
    /// <summary>The whole report.</summary>
    public static string Render(BenchReport r)
    {
        var md = new StringBuilder();
        md.AppendLine($"# momo-bench: {r.Preset ?? r.Target}").AppendLine();
        md.AppendLine($"Target: {r.Target}. Draft lengths: {Gammas(r)}. Interleaved run: {F(r.WallSeconds)} s.").AppendLine();
        md.AppendLine("```sh").AppendLine(r.Command).AppendLine("```").AppendLine();
        AppendCurves(md, r);
        AppendModes(md, r);
        AppendPeers(md, r);
        AppendProfile(md, r);
        AppendPositions(md, r);
        AppendMargins(md, r);
        AppendProjections(md, r);
        md.AppendLine("## Findings").AppendLine();
        foreach (var line in r.Findings)
        {
            md.AppendLine($"- {line}");
        }
        md.AppendLine().AppendLine("Charts: `throughput.png` (tok/s by mode and concurrency), `acceptance.png` (acceptance by draft position).");
        return md.ToString();
    }

    private static void AppendCurves(StringBuilder md, BenchReport r)
    {
        if (r.Curves.Count == 0)
        {
            return;
        }
        md.AppendLine("## Tier cost curves, cost(k)/cost(1) (medians; mean of calibrations before and after the run)").AppendLine();
        md.AppendLine("| tier | cost(1) ms | " + string.Join(" | ", Enumerable.Range(1, 16).Select(k => $"k={k}")) + " |");
        md.AppendLine("| --- | ---: |" + string.Concat(Enumerable.Repeat(" ---: |", 16)));
        foreach (var c in r.Curves)
        {
            md.AppendLine($"| {c.Tier} | {F(c.Seconds[0] * 1e3)} | {string.Join(" | ", c.Relative.Select(F))} |");
        }
        md.AppendLine();
    }

    private static void AppendModes(StringBuilder md, BenchReport r)
    {
        md.AppendLine("## Modes (decode tok/s = aggregate generation rate after the first token)").AppendLine();
        md.AppendLine("| T | conc | mode | γ | tok/s | e2e tok/s | TTFT ms | ITL ms | tok/target call | α (accept rate) per stage | expected tok/s | speedup meas/exp | ratio |");
        md.AppendLine("| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |");
        foreach (var m in r.Modes)
        {
            var e = m.Expected;
            md.AppendLine($"| {F(m.Temperature)} | {m.Concurrency} | {m.Mode} | {Gamma(m)} | {F(m.DecodeTokensPerSecond)} | {F(m.EndToEndTokensPerSecond)} "
                + $"| {F(m.TimeToFirstTokenMs)} | {F(m.InterTokenLatencyMs)} | {(m.TokensPerTargetCall is { } t ? F(t) : "–")} | {Stages(m)} "
                + $"| {(e is null ? "–" : F(e.TokensPerSecond))} | {(e is null ? "–" : $"{F(e.MeasuredSpeedup)} / {F(e.Speedup)}")} | {(e is null ? "–" : P(e.SpeedupRatio))} |");
        }
        md.AppendLine();
    }

    /// <summary>Our modes against each peer run in the same interleaving: decode, first token and prefill, as ratios.</summary>
    private static void AppendPeers(StringBuilder md, BenchReport r)
    {
        var peers = r.Modes.Where(m => m.Mode.StartsWith("peer:", StringComparison.Ordinal)).ToList();
        if (peers.Count == 0)
        {
            return;
        }
        md.AppendLine("## Side by side with the peers (same prompts, same interleaving; ratios are ours / the peer's)").AppendLine();
        md.AppendLine("| T | conc | mode | peer | decode tok/s | peer decode tok/s | decode ratio | TTFT ms | peer TTFT ms | TTFT ratio | prefill tok/s | peer prefill tok/s | prefill ratio |");
        md.AppendLine("| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var peer in peers)
        {
            foreach (var m in r.Modes.Where(m => m.Temperature == peer.Temperature && m.Concurrency == peer.Concurrency && !m.Mode.StartsWith("peer:", StringComparison.Ordinal)))
            {
                static string Ratio(double? a, double? b) => a is > 0 && b is > 0 ? F(a.Value / b.Value) : "–";
                static string Value(double? v) => v is { } x && double.IsFinite(x) ? F(x) : "–";
                md.AppendLine($"| {F(m.Temperature)} | {m.Concurrency} | {m.Mode} | {peer.Mode[5..]} | {F(m.DecodeTokensPerSecond)} | {F(peer.DecodeTokensPerSecond)} "
                    + $"| {Ratio(m.DecodeTokensPerSecond, peer.DecodeTokensPerSecond)} | {Value(m.TimeToFirstTokenMs)} | {Value(peer.TimeToFirstTokenMs)} "
                    + $"| {Ratio(m.TimeToFirstTokenMs, peer.TimeToFirstTokenMs)} | {Value(m.PrefillTokensPerSecond)} | {Value(peer.PrefillTokensPerSecond)} "
                    + $"| {Ratio(m.PrefillTokensPerSecond, peer.PrefillTokensPerSecond)} |");
            }
        }
        md.AppendLine();
    }

    /// <summary>Where the engine thread's time went, per generated token: native decodes, managed row work, planning, applying.</summary>
    private static void AppendProfile(StringBuilder md, BenchReport r)
    {
        var phases = r.Modes.Where(m => m.PhaseMsPerToken is not null).SelectMany(m => m.PhaseMsPerToken!.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        if (phases.Count == 0)
        {
            return;
        }
        md.AppendLine("## Where the time goes (engine thread, ms per generated token, by step phase/tier)").AppendLine();
        md.AppendLine($"| T | conc | mode | {string.Join(" | ", phases)} | total | wall ms/token |");
        md.AppendLine($"| ---: | ---: | --- | {string.Join(" | ", phases.Select(_ => "---:"))} | ---: | ---: |");
        foreach (var m in r.Modes.Where(m => m.PhaseMsPerToken is not null))
        {
            var cells = phases.Select(p => m.PhaseMsPerToken!.TryGetValue(p, out var v) ? F(v) : "–");
            var wall = m.EndToEndTokensPerSecond > 0 ? F(1e3 / m.EndToEndTokensPerSecond) : "–";
            md.AppendLine($"| {F(m.Temperature)} | {m.Concurrency} | {m.Mode} | {string.Join(" | ", cells)} | {F(m.PhaseMsPerToken!.Values.Sum())} | {wall} |");
        }
        md.AppendLine();
    }

    private static void AppendMargins(StringBuilder md, BenchReport r)
    {
        if (r.Margins.Count == 0)
        {
            return;
        }
        md.AppendLine("## Pyramid over two-tier").AppendLine();
        md.AppendLine("| T | conc | predicted | measured | measured ≥ predicted − 0.10 |").AppendLine("| ---: | ---: | ---: | ---: | --- |");
        foreach (var m in r.Margins)
        {
            md.AppendLine($"| {F(m.Temperature)} | {m.Concurrency} | {F(m.Predicted)} | {F(m.Measured)} | {(m.Met ? "yes" : "NO")} |");
        }
        md.AppendLine();
    }

    private static void AppendProjections(StringBuilder md, BenchReport r)
    {
        if (r.Projections.Count == 0)
        {
            return;
        }
        md.AppendLine("## PROJECTION (not measured): GPU-like cost curve").AppendLine();
        md.AppendLine("Verifying up to 16 tokens costs one decode (`TierCostCurve.Flat`); tier costs 1.24 : 3.21 : 8.03 (Llama 3.2 1B : 3.2 3B : 3.1 8B "
            + "by parameters); the measured acceptance at the lowest concurrency; γ chosen by the engine's planner.").AppendLine();
        md.AppendLine("| T | α_dq | α_qt | α_dt | two-tier γ | pyramid γ₁, γ₂ | two_tier × | pyramid × | pyramid / two_tier |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var p in r.Projections)
        {
            md.AppendLine($"| {F(p.Temperature)} | {F(p.AlphaDraftQualifier)} | {F(p.AlphaQualifierTarget)} | {F(p.AlphaDraftTarget)} | {p.TwoTierGamma} "
                + $"| {p.Inner}, {p.Outer} | {F(p.TwoTierSpeedup)} | {F(p.PyramidSpeedup)} | {F(p.PyramidOverTwoTier)} |");
        }
        md.AppendLine();
    }

    private static void AppendPositions(StringBuilder md, BenchReport r)
    {
        var stages = r.Modes.Where(m => m.Concurrency == r.Modes.Min(x => x.Concurrency)).SelectMany(m => m.Stages.Select(s => (m, s))).ToList();
        if (stages.Count == 0)
        {
            return;
        }
        md.AppendLine("## Acceptance by draft position (lowest concurrency)").AppendLine();
        md.AppendLine("Fraction of verifications accepting position i, then (\"given reached\") the acceptance at position i of the");
        md.AppendLine("verifications that accepted every position before it, which the analytic model uses.").AppendLine();
        foreach (var (m, s) in stages)
        {
            var conditional = s.Conditional is { Count: > 0 } c ? $"; given reached: {string.Join(", ", c.Select(F))}" : "";
            md.AppendLine($"- T={F(m.Temperature)} {m.Mode} {s.Stage}: {string.Join(", ", s.ByPosition.Select(F))}{conditional}");
        }
        md.AppendLine();
    }

    /// <summary>γ of a row as text.</summary>
    public static string Gamma(ModeReport m) => m.Mode switch
    {
        "pyramid" => $"{m.Inner?.ToString() ?? "?"}, {m.Outer?.ToString() ?? "?"}",
        "two_tier" => m.Inner?.ToString() ?? "?",
        _ => "–",
    };

    /// <summary>Per-stage α and acceptance rate as text.</summary>
    public static string Stages(ModeReport m) => m.Stages.Count == 0 ? "–"
        : string.Join("; ", m.Stages.Select(s => $"{Short(s.Stage)} {F(s.Alpha)} ({F(s.AcceptanceRate)})"));

    private static string Short(string stage) => stage switch
    {
        SpeculationStages.DraftToQualifier => "d→q",
        SpeculationStages.QualifierToTarget => "q→t",
        SpeculationStages.DraftToTarget => "d→t",
        _ => stage,
    };

    private static string Gammas(BenchReport r) =>
        $"two-tier γ {r.Gammas.TwoTier?.ToString() ?? "adaptive"}, pyramid γ₁ {r.Gammas.Inner?.ToString() ?? "adaptive"}, γ₂ {r.Gammas.Outer?.ToString() ?? "adaptive"} ({r.Gammas.Source})";
}
