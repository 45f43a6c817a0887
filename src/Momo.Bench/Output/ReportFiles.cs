using System.Text.Json;
using Momo.Bench.Analysis;

namespace Momo.Bench.Output;

/// <summary>Writes report.json, report.md, report.html and the PNG charts into the output folder.</summary>
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
        var html = Path.Combine(directory, "report.html");
        File.WriteAllText(html, HtmlReport.Render([report], Json));
        return [json, md, html, .. Charts.Write(report, directory)];
    }

    /// <summary>One report.html comparing several runs (e.g. several families), from their report.json files.</summary>
    public static string WriteCombinedHtml(IReadOnlyList<string> reportJsonPaths, string htmlPath)
    {
        var reports = reportJsonPaths.Select(p => JsonSerializer.Deserialize<BenchReport>(File.ReadAllText(p), Json)
            ?? throw new InvalidDataException($"{p} holds no benchmark report.")).ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(htmlPath))!);
        File.WriteAllText(htmlPath, HtmlReport.Render(reports, Json));
        return htmlPath;
    }
}
