using Momo.Testing;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Momo.Server.Tests.Observability;

/// <summary>
/// A real Prometheus (Debian's package, installed by deploy/ensure-debian-package.sh when absent) on loopback,
/// scraping one target every second, with its own temporary storage; killed on dispose.
/// </summary>
internal sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private PrometheusProcess(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public static async Task<PrometheusProcess> StartAsync(Uri scrapeTarget)
    {
        var binary = await DebianPackages.EnsureAsync("prometheus");
        var directory = Directory.CreateTempSubdirectory("momo-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: momo
                metrics_path: /metrics
                static_configs:
                  - targets: ["{scrapeTarget.Authority}"]
            """);
        var port = FreePort();
        var start = new ProcessStartInfo(binary)
        {
            ArgumentList =
            {
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                $"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var prometheus = new PrometheusProcess(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        await prometheus.WaitReadyAsync();
        return prometheus;
    }

    /// <summary>Evaluates an instant PromQL query; returns the result vector (throws on a query error).</summary>
    public async Task<JsonElement> QueryAsync(string expression)
    {
        using var response = await Http.GetAsync("api/v1/query?query=" + Uri.EscapeDataString(expression));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus rejected '{expression}': {root}");
        }
        return root.GetProperty("data").GetProperty("result").Clone();
    }

    /// <summary>Waits until <paramref name="condition"/> holds for a query's result, or fails after <paramref name="seconds"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string expression, Func<JsonElement, bool> condition, int seconds = 60)
    {
        JsonElement result = default;
        try
        {
            await Eventually.HoldsAsync(async () => condition(result = await QueryAsync(expression)), $"'{expression}' reaches the expected value",
                TimeSpan.FromSeconds(seconds));
        }
        catch (TimeoutException timedOut)
        {
            throw new TimeoutException($"{timedOut.Message} Last result: {result}", timedOut);
        }
        return result;
    }

    private Task WaitReadyAsync() => Eventually.HoldsAsync(async () =>
    {
        try
        {
            using var response = await Http.GetAsync("-/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
    }, "Prometheus is ready");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: the temp folder is the OS's to clean
        }
    }
}
