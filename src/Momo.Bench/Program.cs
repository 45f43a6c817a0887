using Momo.Bench;
using Momo.Bench.CommandLine;
using Momo.Engine.Runtime;
using Momo.Forge;

// Entry point: parse, then either the cost sweep or the benchmark. Exit codes: 0 ok, 2 bad arguments, 1 failure.
if (args.Contains("--soak"))
{
    return await Momo.Bench.Soak.SoakCommand.RunAsync(args);
}
if (args.Contains("--workload"))
{
    return await Momo.Bench.AgentTurns.AgentTurnsCommand.RunAsync(args);
}
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Help);
    return 0;
}
if (args is ["--combine-html", var htmlPath, .. var reportFiles] && reportFiles.Length > 0)
{
    Console.WriteLine(Momo.Bench.Output.ReportFiles.WriteCombinedHtml(reportFiles, htmlPath));
    return 0;
}
if (args is ["--row-cost", .. var rest])
{
    RowCost.Run(rest is [var size] ? int.Parse(size, System.Globalization.CultureInfo.InvariantCulture) : 152_064);
    return 0;
}
if (args is ["--mask-cost", .. var maskArgs])
{
    MaskCost.Run(maskArgs is [var folder] ? folder : Path.Combine(Path.GetTempPath(), "momo-mask-cost"));
    return 0;
}
if (args.Contains("--list-presets"))
{
    foreach (var preset in FamilyPreset.All)
    {
        Console.WriteLine(preset);
    }

    return 0;
}
var (read, exit) = CommandOptions.Read(args, BenchOptions.Help, BenchOptions.Parse);
if (read is not { } options)
{
    return exit!.Value;
}
if (options.NativeLibraryPath is { } nativeLibrary)
{
    // Before anything loads a model: LLamaSharp picks its library once per process.
    try
    {
        var build = NativeLibrarySelection.Use(nativeLibrary);
        Console.WriteLine($"llama.cpp library: {build.Files.Llama} (ggml {build.GgmlVersion}, commit {build.Commit})");
    }
    catch (NativeLibraryException refused)
    {
        Console.Error.WriteLine($"--native-lib '{nativeLibrary}': {refused.Message}");
        return 2;
    }
}
if (options.Sweep)
{
    CostSweep.Run(options);
    return 0;
}
return await BenchCommand.RunAsync(options, "dotnet run -c Release --project src/Momo.Bench -- " + string.Join(" ", args));
