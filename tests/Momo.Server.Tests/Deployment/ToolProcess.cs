using System.Diagnostics;

namespace Momo.Server.Tests.Deployment;

/// <summary>Runs a command-line tool the deployment tests need (kubectl, npm, node) and returns what it printed.</summary>
internal static class ToolProcess
{
    /// <summary>
    /// Runs <paramref name="file"/>, with <paramref name="environment"/> changed (a null value removes the variable);
    /// throws with its output when it fails or outlives <paramref name="timeout"/>.
    /// </summary>
    public static async Task<string> RunAsync(
        string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} ran past {timeout}");
        }
        var printed = await output + await errors;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}:\n{printed}");
        }
        return printed;
    }

    /// <summary>Whether <paramref name="file"/> is on PATH.</summary>
    public static bool IsInstalled(string file) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => File.Exists(Path.Combine(dir, file)));
}
