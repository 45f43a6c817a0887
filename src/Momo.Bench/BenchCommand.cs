using Momo.Bench.Analysis;
using Momo.Bench.Measurement;
using Momo.Bench.Output;
using Momo.Bench.Targets;
using Momo.Engine.Runtime;
using Momo.Forge;
using Spectre.Console;

namespace Momo.Bench;

/// <summary>One benchmark: build the target (forged family, model folder or URL), run the interleaved workload with a
/// progress display, analyse, print and write the files.</summary>
internal static class BenchCommand
{
    /// <summary>Context per sequence: the longest prompt plus max_tokens fits easily (the "long" set needs more).</summary>
    private static int ContextPerSequence(BenchOptions options) => options.PromptSetList.Contains("long") ? 2048 : 512;

    /// <summary>Runs the benchmark; returns the process exit code.</summary>
    public static async Task<int> RunAsync(BenchOptions options, string command, CancellationToken cancellation = default)
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 180); // logs keep whole table rows
        }
        using var target = CreateTarget(options);
        var inProcess = target as InProcessTarget;
        using var runner = new BenchRunner(target, options, inProcess?.Recorder, inProcess?.Phases);
        RunMeasurements? run = null;
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask("interleaved run", maxValue: runner.Order.Count + 1);
            run = await runner.RunAsync(step => { task.Description = Markup.Escape(step); task.Increment(1); }, cancellation);
            if (inProcess is not null)
            {
                task.Description = "recalibrating cost curves";
                inProcess.FinishAndRecalibrate();
            }
            task.Value = task.MaxValue;
        });
        var preset = options.Url is null && options.ModelsDirectory is null ? options.Preset : null;
        // Which llama.cpp build decoded: the bundled variant LLamaSharp picked, or the one --native-lib chose.
        var description = inProcess is null
            ? target.Description
            : $"{target.Description}; llama.cpp library {string.Join(", ", NativeLibrarySelection.LoadedLlamaFiles())}";
        var report = ReportBuilder.Build(description, preset, command, run!, target.CostCurves, inProcess?.Calibrations);
        ConsoleReport.Write(report);
        foreach (var path in ReportFiles.Write(report, options.OutputDirectory))
        {
            AnsiConsole.MarkupLine($"wrote [blue]{Markup.Escape(path)}[/]");
        }
        return 0;
    }

    private static IBenchTarget CreateTarget(BenchOptions options)
    {
        if (options.Url is { } url)
        {
            return new HttpTarget(url, options.Model);
        }
        // llama.cpp's load chatter would bury the progress display.
        NativeLogging.RouteTo(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var maxSequences = options.ConcurrencyList.Max();
        if (options.ModelsDirectory is { } dir)
        {
            return new InProcessTarget(dir, Path.Combine(dir, FamilyForge.DraftFile), Path.Combine(dir, FamilyForge.QualifierFile),
                Path.Combine(dir, FamilyForge.TargetFile), maxSequences, ContextPerSequence(options), options.Threads, options.CalibrationRepetitions);
        }
        var preset = FamilyPreset.Named(options.Preset);
        var family = AnsiConsole.Status().Start($"forging {preset.Name} (first run only)", _ =>
            FamilyForge.EnsureFamily(Path.Combine(options.OutputDirectory, "families", preset.Name), preset, options.Seed));
        return AnsiConsole.Status().Start("loading tiers and measuring their cost curves", _ =>
            new InProcessTarget($"in-process engine, forged family '{preset.Name}' (seed {options.Seed})", family.DraftPath,
                family.QualifierPath, family.TargetPath, maxSequences, ContextPerSequence(options), options.Threads, options.CalibrationRepetitions));
    }
}
