using System.Text.Json;
using System.Text.Json.Serialization;

namespace Momo.Bench.Soak;

/// <summary>What a soak found. Latencies are of requests read to the end (not of the ones dropped on purpose).</summary>
internal sealed record SoakReport(
    string Url,
    string Command,
    double Seconds,
    int Clients,
    int Requests,
    int Completed,
    int Disconnected,
    IReadOnlyDictionary<string, int> Errors,
    double? P50Seconds,
    double? P99Seconds,
    ServerGauges Start,
    ServerGauges End)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Sequences the server still held after the clients stopped (running + waiting), or null when it does not say.</summary>
    public double? HeldAtEnd => End.Running is { } running ? running + (End.Waiting ?? 0) : null;

    /// <summary>Requests that ended in an error of any kind.</summary>
    public int ErrorCount => Errors.Values.Sum();

    /// <summary>The report as printed lines.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"soak of {Url}: {Clients} clients for {Seconds:F0} s";
        yield return $"  requests {Requests}: {Completed} completed, {Disconnected} disconnected on purpose, {ErrorCount} errors";
        foreach (var (kind, count) in Errors.OrderByDescending(e => e.Value))
        {
            yield return $"    {kind}: {count}";
        }
        yield return $"  latency p50 {Ms(P50Seconds)}, p99 {Ms(P99Seconds)} (completed requests)";
        yield return $"  server memory: working set {Mb(Start.WorkingSetBytes)} -> {Mb(End.WorkingSetBytes)}, managed heap {Mb(Start.ManagedHeapBytes)} -> {Mb(End.ManagedHeapBytes)}";
        yield return $"  sequences held at the end: {(HeldAtEnd is { } held ? held.ToString("F0", System.Globalization.CultureInfo.InvariantCulture) : $"unknown ({End.Problem})")}";
    }

    /// <summary>Writes soak.json into <paramref name="directory"/>; returns its path.</summary>
    public string WriteJson(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "soak.json");
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
        return path;
    }

    private static string Ms(double? seconds) => seconds is { } s ? $"{s * 1000:F0} ms" : "n/a";

    private static string Mb(double? bytes) => bytes is { } b ? $"{b / (1 << 20):F0} MB" : "n/a";
}
