using Momo.Bench.Analysis;
using Spectre.Console;
using static Momo.Bench.Analysis.Findings;

namespace Momo.Bench.Output;

/// <summary>Prints the report's tables to the terminal with Spectre.Console.</summary>
internal static class ConsoleReport
{
    /// <summary>Cost curves, the mode table, the projection and the findings.</summary>
    public static void Write(BenchReport r)
    {
        if (r.Curves.Count > 0)
        {
            var curves = new Table().Title("cost(k)/cost(1)").AddColumns("tier", "cost(1) ms", "k=2", "k=4", "k=8", "k=12", "k=16");
            foreach (var c in r.Curves)
            {
                curves.AddRow(c.Tier, F(c.Seconds[0] * 1e3), F(c.Relative[1]), F(c.Relative[3]), F(c.Relative[7]), F(c.Relative[11]), F(c.Relative[15]));
            }
            AnsiConsole.Write(curves);
        }
        var table = new Table().Title($"{r.Preset ?? r.Target}: measured vs analytic")
            .AddColumns("T", "conc", "mode", "γ", "tok/s", "TTFT ms", "ITL ms", "tok/call", "α (rate) per stage", "exp tok/s", "speedup meas/exp", "ratio");
        foreach (var m in r.Modes)
        {
            var e = m.Expected;
            var ratio = e is null ? "–" : e.SpeedupRatio >= SpeedupRatioGoal || m.Mode == "target_only" ? $"[green]{P(e.SpeedupRatio)}[/]" : $"[red]{P(e.SpeedupRatio)}[/]";
            table.AddRow(F(m.Temperature), m.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Mode, MarkdownReport.Gamma(m),
                F(m.DecodeTokensPerSecond), F(m.TimeToFirstTokenMs), F(m.InterTokenLatencyMs), m.TokensPerTargetCall is { } t ? F(t) : "–",
                Markup.Escape(MarkdownReport.Stages(m)), e is null ? "–" : F(e.TokensPerSecond),
                e is null ? "–" : $"{F(e.MeasuredSpeedup)} / {F(e.Speedup)}", ratio);
        }
        AnsiConsole.Write(table);
        foreach (var line in r.Findings)
        {
            AnsiConsole.MarkupLine(Markup.Escape("• " + line));
        }
    }
}
