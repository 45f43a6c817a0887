using System.Diagnostics;

namespace Momo.Testing;

/// <summary>Real peer programs from Debian's packages, installed by the project's own script when absent.</summary>
public static class DebianPackages
{
    /// <summary>Installs <paramref name="package"/> unless its binary is on PATH; returns the binary's path.</summary>
    public static async Task<string> EnsureAsync(string package)
    {
        var script = Path.Combine(RepositoryPaths.Root, "deploy", "ensure-debian-package.sh");
        var start = new ProcessStartInfo("bash") { ArgumentList = { script, package }, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ensure-debian-package.sh {package} failed ({process.ExitCode}): {await errors}");
        }
        return (await output).Trim().Split('\n')[^1];
    }
}
