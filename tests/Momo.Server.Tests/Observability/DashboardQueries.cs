using Momo.Testing;
using System.Text.Json;

namespace Momo.Server.Tests.Observability;

/// <summary>Every PromQL expression of the shipped Grafana dashboard, with Grafana's variables made concrete.</summary>
internal static class DashboardQueries
{
    public static IReadOnlyList<(string Panel, string Expression)> Load()
    {
        var path = Path.Combine(RepositoryPaths.Root, "deploy", "grafana", "dashboards", "momo.json");
        using var dashboard = JsonDocument.Parse(File.ReadAllText(path));
        var queries = new List<(string, string)>();
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            var title = panel.GetProperty("title").GetString()!;
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                // $__rate_interval is at least four scrape intervals in Grafana; the test scrapes every second.
                queries.Add((title, target.GetProperty("expr").GetString()!.Replace("$__rate_interval", "1m", StringComparison.Ordinal)));
            }
        }
        return queries;
    }
}
