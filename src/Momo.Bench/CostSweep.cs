using System.Globalization;
using System.Text;
using Momo.Bench.Targets;
using Momo.Engine.Runtime;
using Momo.Forge;
using Momo.Gguf;
using Spectre.Console;

namespace Momo.Bench;

/// <summary>
/// Measures cost(k)/cost(1) of candidate target shapes (width, depth, weight type) on this machine. Speculation pays
/// only where verifying k tokens costs little more than decoding one, so the bench families are built on the shape
/// whose curve is flattest; this is the measurement behind that choice.
/// </summary>
internal static class CostSweep
{
    /// <summary>Candidate shapes: the knobs FamilyPreset exposes, around the sizes this machine decodes in milliseconds.</summary>
    public static IReadOnlyList<FamilyPreset> Candidates { get; } =
    [
        Shape(512, 4, GgmlType.F32), Shape(512, 4, GgmlType.F16), Shape(512, 4, GgmlType.Q8_0),
        Shape(1024, 4, GgmlType.F32), Shape(1024, 4, GgmlType.F16), Shape(1024, 4, GgmlType.Q8_0),
        Shape(1024, 8, GgmlType.Q8_0), Shape(2048, 4, GgmlType.F16), Shape(2048, 4, GgmlType.Q8_0),
    ];

    private static FamilyPreset Shape(int width, int layers, GgmlType type) =>
        FamilyPreset.BenchPyramid with
        {
            Name = $"sweep-{width}x{layers}-{type}",
            EmbeddingLength = width,
            FeedForwardLength = width * 8 / 3 / 32 * 32,
            DraftLayers = 1,
            QualifierLayers = 1,
            TargetLayers = layers,
            WeightType = type,
        };

    /// <summary>Forges each candidate, measures its target tier and writes sweep.md; returns the flattest candidate's name.</summary>
    public static string Run(BenchOptions options)
    {
        var rows = new List<(FamilyPreset Preset, double[] Curve)>();
        AnsiConsole.Progress().Start(progress =>
        {
            var task = progress.AddTask("cost sweep", maxValue: Candidates.Count);
            foreach (var preset in Candidates)
            {
                task.Description = preset.Name;
                var family = FamilyForge.EnsureFamily(Path.Combine(options.OutputDirectory, "families", preset.Name), preset, options.Seed);
                using var target = LlamaTierModel.Load(LoadedTiers.Options(Tier.Target.ToName(), family.TargetPath, 256, 1, options.Threads));
                using var tiers = new TierSet(target, null, null);
                rows.Add((preset, TierCostCalibration.Measure(tiers, options.CalibrationRepetitions)[2]!));
                task.Increment(1);
            }
        });
        // Flattest: the lowest mean of cost(k)/cost(1) over k = 2..16, the range a verification uses.
        var flattest = rows.MinBy(r => r.Curve.Skip(1).Average(c => c / r.Curve[0]));
        var table = new Table().AddColumns("shape", "cost(1) ms", "k=2", "k=4", "k=8", "k=16", "mean k=2..16");
        var md = new StringBuilder("| shape | cost(1) ms | " + string.Join(" | ", Enumerable.Range(1, 16).Select(k => $"k={k}")) + " |\n");
        md.Append("| --- | ---: |" + string.Concat(Enumerable.Repeat(" ---: |", 16)) + "\n");
        foreach (var (preset, curve) in rows)
        {
            string R(int k) => (curve[k - 1] / curve[0]).ToString("F2", CultureInfo.InvariantCulture);
            var mean = curve.Skip(1).Average(c => c / curve[0]).ToString("F2", CultureInfo.InvariantCulture);
            var name = preset == flattest.Preset ? $"[green]{preset.Name}[/]" : preset.Name;
            table.AddRow(name, (curve[0] * 1e3).ToString("F2", CultureInfo.InvariantCulture), R(2), R(4), R(8), R(16), mean);
            md.Append($"| {preset.Name} | {curve[0] * 1e3:F2} | {string.Join(" | ", Enumerable.Range(1, 16).Select(R))} |\n");
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"flattest target curve: [green]{flattest.Preset.Name}[/]");
        Directory.CreateDirectory(options.OutputDirectory);
        File.WriteAllText(Path.Combine(options.OutputDirectory, "sweep.md"),
            $"# Target cost curves, cost(k)/cost(1) (medians of {options.CalibrationRepetitions})\n\n{md}\nFlattest: {flattest.Preset.Name}\n");
        return flattest.Preset.Name;
    }
}
