using System.Text.Json;
using Momo.Testing;

namespace Momo.Bench.Tests;

[Collection(Html.BenchConsoleCollection.Name)]
public class SmokeRunTests
{
    [Fact]
    public async Task An_in_process_run_on_the_tiny_family_writes_json_markdown_and_charts_with_sane_numbers()
    {
        var output = Path.Combine(Path.GetTempPath(), "momo-bench-smoke", Guid.NewGuid().ToString("N"));
        var options = BenchOptions.Parse(["--models", TestFamilies.Tiny.Directory, "--out", output, "--rounds", "2",
            "--concurrency", "1,2", "--max-tokens", "24", "--calibration-reps", "1", "--draft-tokens", "2", "--qualified-tokens", "3"]);
        try
        {
            Assert.Equal(0, await BenchCommand.RunAsync(options, "test"));
            foreach (var file in new[] { "report.json", "report.md", "throughput.png", "acceptance.png" })
            {
                Assert.True(new FileInfo(Path.Combine(output, file)).Length > 100, $"{file} missing or empty");
            }
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
            var modes = json.RootElement.GetProperty("modes").EnumerateArray().ToList();
            Assert.Equal(6, modes.Count); // 3 modes × 2 concurrency levels
            foreach (var mode in modes)
            {
                Assert.Equal(2 * mode.GetProperty("concurrency").GetInt32(), mode.GetProperty("requests").GetInt32());
                Assert.True(mode.GetProperty("completion_tokens").GetInt64() > 0);
                Assert.True(mode.GetProperty("end_to_end_tokens_per_second").GetDouble() > 0);
            }
            var pyramid = modes.First(m => m.GetProperty("mode").GetString() == "pyramid");
            var stages = pyramid.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("stage").GetString() ?? "").ToArray();
            Assert.Equal(["draft_to_qualifier", "qualifier_to_target"], stages);
            foreach (var stage in pyramid.GetProperty("stages").EnumerateArray())
            {
                Assert.InRange(stage.GetProperty("alpha").GetDouble(), 0.0, 1.0);
            }
            // The step profile: the pyramid's time splits into planning, every tier's decodes and rows, and applying.
            var profile = pyramid.GetProperty("phase_ms_per_token").EnumerateObject().Select(p => p.Name).ToList();
            Assert.Subset(profile.ToHashSet(), new HashSet<string> { "plan", "apply", "decode/draft", "decode/qualifier", "decode/target", "rows/target" });
            Assert.Contains("Where the time goes", File.ReadAllText(Path.Combine(output, "report.md")), StringComparison.Ordinal);
            Assert.Equal(3, json.RootElement.GetProperty("curves").GetArrayLength());
            Assert.True(json.RootElement.GetProperty("greedy_outputs_identical").GetBoolean());
            Assert.NotEmpty(json.RootElement.GetProperty("projections").EnumerateArray());
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
