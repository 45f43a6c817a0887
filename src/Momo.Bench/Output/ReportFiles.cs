using System.Text.Json;
using Momo.Bench.Analysis;

namespace Momo.Bench.Output;

/// <summary>Writes report.json, report.md and the PNG charts into the output folder.</summary>
internal static class ReportFiles
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes every file; returns their paths.</summary>
    public static IReadOnlyList<string> Write(BenchReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "report.json");
        File.WriteAllText(json, JsonSerializer.Serialize(report, Json));
        var md = Path.Combine(directory, "report.md");
        File.WriteAllText(md, MarkdownReport.Render(report));
        return [json, md, .. Charts.Write(report, directory)];
    }
}
