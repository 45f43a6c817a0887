using System.Reflection;
using System.Text.Json;
using Momo.Bench.Analysis;

namespace Momo.Bench.Output;

/// <summary>
/// report.html: one self-contained page (data, script and styles inline; nothing fetched) with interactive charts of
/// tok/s by mode, concurrency and family, acceptance by draft position and the tiers' cost curves. Given several
/// reports (several families), the page offers each and compares them side by side.
/// </summary>
internal static class HtmlReport
{
    private const string Placeholder = "/*REPORT_DATA*/";

    /// <summary>The page for <paramref name="reports"/> (at least one).</summary>
    public static string Render(IReadOnlyList<BenchReport> reports, JsonSerializerOptions json)
    {
        if (reports.Count == 0)
        {
            throw new ArgumentException("An HTML report needs at least one benchmark report.", nameof(reports));
        }
        // Inside <script>, "</" could close the element early; JSON allows "<\/" for it.
        var data = JsonSerializer.Serialize(reports, json).Replace("</", "<\\/", StringComparison.Ordinal);
        return Template().Replace(Placeholder, data, StringComparison.Ordinal);
    }

    private static string Template()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("report.html")
            ?? throw new InvalidOperationException("The report.html template is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
