using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Momo.Forge;
using Momo.Testing;

namespace Momo.Server.Tests.Hosting;

/// <summary>
/// The built server run as its own process (<c>dotnet Momo.Server.dll</c>), as an operator or a supervisor starts it:
/// its exit code, its console log and its instruments are its own, never shared with other servers in this test process.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private ServerProcess(Process process) => _process = process;

    /// <summary>Every console line so far, stdout and stderr together.</summary>
    public IReadOnlyList<string> Lines => [.. _log];

    /// <summary>The console log as one text, for assertion messages.</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>Starts a server over <paramref name="family"/> with extra Momo__* environment settings.</summary>
    public static ServerProcess Start(ForgedFamily family, IDictionary<string, string>? settings = null) =>
        Start(new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Momo__Target__Path"] = family.TargetPath,
            ["Momo__Qualifier__Path"] = family.QualifierPath,
            ["Momo__Draft__Path"] = family.DraftPath,
        });

    /// <summary>Starts a server with exactly these Momo__* environment settings (and a loopback port of its own).</summary>
    public static ServerProcess Start(IDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // No models.json from the test's folder can leak in.
            WorkingDirectory = Directory.CreateTempSubdirectory("momo-server-process-").FullName,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Momo.Server.dll"));
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Momo__ModelId"] = ServerInstance.ModelId;
        start.Environment["Momo__ContextSize"] = "512";
        start.Environment["Momo__MaxSequences"] = "2";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        var server = new ServerProcess(Process.Start(start)!);
        server._process.ErrorDataReceived += (_, line) => server.Add(line.Data);
        server._process.OutputDataReceived += (_, line) => server.Add(line.Data);
        server._process.BeginErrorReadLine();
        server._process.BeginOutputReadLine();
        return server;
    }

    /// <summary>Waits until the models are loaded and /health answers; returns a client for the server's address.</summary>
    public async Task<HttpClient> WaitUntilReadyAsync()
    {
        try
        {
            await Eventually.HoldsAsync(
                () => _process.HasExited || _log.Any(line => line.Contains("Serving model", StringComparison.Ordinal)),
                "the server loads its models", TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException late)
        {
            throw new TimeoutException(late.Message + " Its log:\n" + Log, late);
        }
        Assert.False(_process.HasExited, "the server exited:\n" + Log);
        var address = _log.Select(line => Listening().Match(line)).First(match => match.Success).Groups[1].Value;
        var http = new HttpClient { BaseAddress = new Uri(address + "/"), Timeout = TimeSpan.FromMinutes(2) };
        using var health = await http.GetAsync("health");
        Assert.True(health.IsSuccessStatusCode, "models are loaded but /health is not ready:\n" + Log);
        return http;
    }

    /// <summary>Waits for the process to exit on its own; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the server did not exit within {timeout}:\n{Log}");
        }
        return _process.ExitCode;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue(line);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();
}
