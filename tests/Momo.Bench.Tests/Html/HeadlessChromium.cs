using Momo.Testing;
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
        var chromium = await DebianPackages.EnsureAsync("chromium");
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
}
