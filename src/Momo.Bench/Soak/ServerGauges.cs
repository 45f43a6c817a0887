using System.Globalization;

namespace Momo.Bench.Soak;

/// <summary>The server's own view, read from its Prometheus /metrics: memory, and what it still holds.</summary>
/// <param name="WorkingSetBytes">Process working set, or null when the server does not export it.</param>
/// <param name="ManagedHeapBytes">Managed heap, or null.</param>
/// <param name="Running">Sequences being decoded (num_requests_running), or null.</param>
/// <param name="Waiting">Requests waiting (num_requests_waiting), or null.</param>
/// <param name="Problem">Why /metrics could not be read, or null.</param>
internal sealed record ServerGauges(double? WorkingSetBytes, double? ManagedHeapBytes, double? Running, double? Waiting, string? Problem = null)
{
    /// <summary>Whether the server answered /metrics with its running-requests gauge.</summary>
    public bool IsKnown => Running is not null;

    /// <summary>Reads the gauges; every figure is null when /metrics cannot be read (another server, a key required).</summary>
    public static async Task<ServerGauges> ReadAsync(HttpClient http, string apiUrl, CancellationToken cancellation)
    {
        // The OpenAI base URL ends in /v1; /metrics sits at the root.
        var root = apiUrl.EndsWith("/v1", StringComparison.Ordinal) ? apiUrl[..^3] : apiUrl;
        string text;
        try
        {
            text = await http.GetStringAsync($"{root}/metrics", cancellation);
        }
        catch (Exception failure) when (failure is HttpRequestException or IOException)
        {
            return new ServerGauges(null, null, null, null, $"{failure.GetType().Name}: {failure.Message}");
        }
        var running = Value(text, "num_requests_running");
        return new ServerGauges(Value(text, "process_working_set_bytes"), Value(text, "process_managed_heap_bytes"),
            running, Value(text, "num_requests_waiting"), running is null ? $"/metrics has no num_requests_running ({text.Length} characters)" : null);
    }

    // The first sample of a metric family (these gauges have no labels beyond the exporter's scope labels).
    private static double? Value(string text, string name)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is ' ' or '{')
            {
                // name{labels} value [timestamp]
                var rest = line[name.Length] == '{' ? line[(line.IndexOf('}', StringComparison.Ordinal) + 1)..] : line[name.Length..];
                var value = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
            }
        }
        return null;
    }
}
