using System.Text.RegularExpressions;
using Momo.Bench.Output;
using Momo.Testing;

namespace Momo.Bench.Tests.Html;

/// <summary>
/// The HTML report in a real browser: two real benchmark runs (two forged families) combined into one page, opened
/// from disk in headless Chromium with networking off; every chart must have drawn its marks.
/// </summary>
[Collection(BenchConsoleCollection.Name)]
public sealed partial class HtmlReportBrowserTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("momo-html-report-");

    [Fact]
    public async Task The_report_page_opens_from_disk_with_no_network_and_draws_every_chart_in_chromium()
    {
        var tiny = await RunBenchAsync(TestFamilies.Tiny.Directory, "tiny", "1,2");
        var other = await RunBenchAsync(TestFamilies.OtherVocabulary.Directory, "other", "1");
        Assert.True(new FileInfo(Path.Combine(Path.GetDirectoryName(tiny)!, "report.html")).Length > 1000, "a run writes its own report.html");
        var page = ReportFiles.WriteCombinedHtml([tiny, other], Path.Combine(_work.FullName, "combined", "report.html"));

        var html = await File.ReadAllTextAsync(page);
        // Self-contained: no script, style, image or font is fetched from anywhere.
        Assert.DoesNotMatch(ExternalReference(), html);

        var dom = await HeadlessChromium.DumpDomAsync(page);
        Assert.Contains("data-ready=\"true\"", dom, StringComparison.Ordinal);
        var rendered = RenderedCharts().Matches(dom).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        foreach (var chart in new[] { "throughput", "concurrency", "families", "acceptance", "costs" })
        {
            Assert.True(rendered.TryGetValue(chart, out var marks) && marks > 0, $"chart '{chart}' drew nothing: {string.Join(", ", rendered)}");
        }
        Assert.Equal(3 * 2, rendered["throughput"]); // three modes at one and two streams
        Assert.Equal(2 * 3, rendered["families"]); // two families, three modes each
        Assert.Equal(3 * 16, rendered["costs"]); // three tiers, k = 1..16
        Assert.Equal(6, Regex.Count(dom, @"<tr><td>\d")); // the table: one row per measured cell

        var screenshot = Path.Combine(_work.FullName, "report.png");
        await HeadlessChromium.ScreenshotAsync(page, screenshot, 1280, 1600);
        Assert.True(new FileInfo(screenshot).Length > 20_000, "the screenshot is (nearly) blank");
    }

    private async Task<string> RunBenchAsync(string models, string name, string concurrency)
    {
        var output = Path.Combine(_work.FullName, name);
        var options = BenchOptions.Parse(["--models", models, "--out", output, "--rounds", "1", "--concurrency", concurrency,
            "--max-tokens", "16", "--calibration-reps", "1", "--draft-tokens", "2", "--qualified-tokens", "3"]);
        Assert.Equal(0, await BenchCommand.RunAsync(options, $"test {name}"));
        return Path.Combine(output, "report.json");
    }

    [GeneratedRegex(@"<(?:script|link|img)[^>]+(?:src|href)=""(?:https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex(@"data-chart=""(\w+)"" data-rendered=""(\d+)""")]
    private static partial Regex RenderedCharts();

    public void Dispose() => _work.Delete(recursive: true);
}

/// <summary>Benchmark runs draw a Spectre.Console progress display, of which only one may be live in a process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BenchConsoleCollection
{
    public const string Name = "bench-console";
}
