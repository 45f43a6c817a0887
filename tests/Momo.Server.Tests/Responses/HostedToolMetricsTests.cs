using System.Globalization;
using System.Net;
using System.Text;
using Momo.Server.Tests.Observability;
using Momo.Testing;

namespace Momo.Server.Tests.Responses;

/// <summary>
/// responses_hosted_tools_dropped_total counts each tool a /v1/responses request offered that the server left out.
/// Instruments are process-wide, so this runs alone (the Prometheus collection) and compares counts before and after.
/// </summary>
[Collection(PrometheusCollection.Name)]
public sealed class HostedToolMetricsTests
{
    [Fact]
    public async Task A_hosted_tool_left_out_of_a_response_is_counted_by_type()
    {
        await using var server = await ServerInstance.StartAsync(
            TestFamilies.Tiny, new Dictionary<string, string?> { ["Momo:ContextSize"] = "4096", ["Momo:MaxSequences"] = "2" });
        var before = await DroppedAsync(server, "web_search");

        using var content = new StringContent(
            $$"""{"input":"The dog said","tools":[{{ResponsesTestData.WebSearch}},{{ResponsesTestData.Weather}}],"max_output_tokens":2}""",
            Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync("v1/responses", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // /metrics may serve a scrape cached a moment ago: wait until the count moves, then it must have moved by one.
        await Eventually.HoldsAsync(async () => await DroppedAsync(server, "web_search") > before, "the dropped web_search is counted");
        Assert.Equal(before + 1, await DroppedAsync(server, "web_search"));
    }

    private static async Task<long> DroppedAsync(ServerInstance server, string type)
    {
        var metrics = await server.Http.GetStringAsync("metrics");
        return metrics.Split('\n')
            .Where(l => l.StartsWith("responses_hosted_tools_dropped_total{", StringComparison.Ordinal) && l.Contains($"type=\"{type}\"", StringComparison.Ordinal))
            .Sum(l => (long)double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
