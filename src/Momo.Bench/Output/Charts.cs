using Momo.Bench.Analysis;
using ScottPlot;

namespace Momo.Bench.Output;

/// <summary>PNG charts (ScottPlot): tok/s by mode and concurrency with the analytic expectation, and acceptance by position.</summary>
internal static class Charts
{
    private static readonly string[] ModeOrder = ["target_only", "two_tier", "pyramid"];
    private static readonly Color[] ModeColors = [Colors.Gray, Colors.SteelBlue, Colors.DarkOrange];

    /// <summary>Writes throughput.png and acceptance.png; returns their paths.</summary>
    public static IReadOnlyList<string> Write(BenchReport report, string directory)
    {
        var throughput = Path.Combine(directory, "throughput.png");
        Throughput(report).SavePng(throughput, 900, 480);
        var acceptance = Path.Combine(directory, "acceptance.png");
        Acceptance(report).SavePng(acceptance, 900, 480);
        return [throughput, acceptance];
    }

    /// <summary>Bars of measured decode tok/s grouped by (temperature, concurrency); black dots mark the analytic expectation.</summary>
    public static Plot Throughput(BenchReport report)
    {
        var plot = new Plot();
        var groups = report.Modes.GroupBy(m => (m.Temperature, m.Concurrency)).OrderBy(g => g.Key).ToList();
        var ticks = new List<Tick>();
        for (var g = 0; g < groups.Count; g++)
        {
            var center = g * (ModeOrder.Length + 1);
            ticks.Add(new Tick(center + 1, $"T={groups[g].Key.Temperature:0.##} ×{groups[g].Key.Concurrency}"));
            for (var i = 0; i < ModeOrder.Length; i++)
            {
                if (groups[g].FirstOrDefault(m => m.Mode == ModeOrder[i]) is not { } row)
                {
                    continue;
                }
                plot.Add.Bar(new Bar { Position = center + i, Value = row.DecodeTokensPerSecond, FillColor = ModeColors[i] });
                if (row.Expected is { } e)
                {
                    var marker = plot.Add.Marker(center + i, e.TokensPerSecond);
                    marker.Color = Colors.Black;
                    marker.Size = 9;
                }
            }
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        for (var i = 0; i < ModeOrder.Length; i++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = ModeOrder[i], FillColor = ModeColors[i] });
        }
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "analytic expectation", MarkerShape = MarkerShape.FilledCircle, MarkerColor = Colors.Black, MarkerSize = 9 });
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.Margins(bottom: 0);
        plot.Title($"{report.Preset ?? "remote"}: decode tok/s by mode and concurrency");
        plot.YLabel("tokens / s");
        return plot;
    }

    /// <summary>Per stage (lowest concurrency, each temperature): fraction of verifications that accepted position i.</summary>
    public static Plot Acceptance(BenchReport report)
    {
        var plot = new Plot();
        var lowest = report.Modes.Count == 0 ? 0 : report.Modes.Min(m => m.Concurrency);
        foreach (var row in report.Modes.Where(m => m.Concurrency == lowest))
        {
            foreach (var stage in row.Stages.Where(s => s.ByPosition.Count > 0))
            {
                var xs = Enumerable.Range(1, stage.ByPosition.Count).Select(i => (double)i).ToArray();
                var line = plot.Add.Scatter(xs, stage.ByPosition.ToArray());
                line.LegendText = $"{stage.Stage} T={row.Temperature:0.##} (α {stage.Alpha:F2})";
            }
        }
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Title("acceptance by draft position");
        plot.XLabel("position in the proposal run");
        plot.YLabel("fraction of verifications accepting it");
        return plot;
    }
}
