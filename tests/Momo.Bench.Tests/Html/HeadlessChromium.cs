using System.Diagnostics;

namespace Momo.Bench.Tests.Html;

/// <summary>
/// Debian's Chromium, headless, with every background download off (the page must render with no network), a fresh
/// profile per call, and the flags a root CI container needs.
/// </summary>
internal static class HeadlessChromium
{
    /// <summary>The DOM after the page's scripts ran.</summary>
    public static async Task<string> DumpDomAsync(string htmlPath) =>
        await RunAsync(["--dump-dom", new Uri(htmlPath).AbsoluteUri]);

    /// <summary>Saves a PNG of the page at <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static async Task ScreenshotAsync(string htmlPath, string pngPath, int width, int height) =>
        await RunAsync([$"--screenshot={pngPath}", $"--window-size={width},{height}", "--hide-scrollbars", new Uri(htmlPath).AbsoluteUri]);

    private static async Task<string> RunAsync(IEnumerable<string> arguments)
    {
        var chromium = await EnsureInstalledAsync();
        var profile = Directory.CreateTempSubdirectory("momo-chromium-");
        try
        {
            var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var flag in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--virtual-time-budget=5000", $"--user-data-dir={profile.FullName}" }.Concat(arguments))
            {
                start.ArgumentList.Add(flag);
            }
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(deadline.Token);
            Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {await errors}");
            return await output;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static async Task<string> EnsureInstalledAsync()
    {
        var script = Path.Combine(RepositoryRoot(), "tests", "Momo.Bench.Tests", "Html", "ensure-chromium.sh");
        var start = new ProcessStartInfo("bash") { ArgumentList = { script }, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ensure-chromium.sh failed ({process.ExitCode}): {errors}");
        return output.Trim().Split('\n')[^1];
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MomoServer.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("MomoServer.sln not found above " + AppContext.BaseDirectory);
    }
}
