using Momo.Bench.CommandLine;

namespace Momo.Bench.Soak;

/// <summary><c>momo-bench --soak</c>: parse, run, print, write soak.json. Exit code 1 when the server still held
/// sequences at the end or any request failed in a way the server should never answer (5xx, broken stream).</summary>
internal static class SoakCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var (read, exit) = CommandOptions.Read(args, SoakOptions.Help, SoakOptions.Parse);
        if (read is not { } options)
        {
            return exit!.Value;
        }
        var report = await SoakRunner.RunAsync(options, "momo-bench " + Redacted(args));
        foreach (var line in report.Lines())
        {
            Console.WriteLine(line);
        }
        Console.WriteLine($"wrote {report.WriteJson(options.OutputDirectory)}");
        return IsHealthy(report) ? 0 : 1;
    }

    // The command is printed and written to soak.json: never with the key in it.
    internal static string Redacted(IReadOnlyList<string> args) =>
        string.Join(" ", args.Select((a, i) => i > 0 && args[i - 1] == "--api-key" ? "***" : a));

    /// <summary>Nothing held at the end, and no 5xx, exception or broken stream (429s are the server doing its job).</summary>
    public static bool IsHealthy(SoakReport report) =>
        report.HeldAtEnd is null or 0
        && !report.Errors.Keys.Any(kind => kind.StartsWith("http 5", StringComparison.Ordinal) || kind.StartsWith("exception", StringComparison.Ordinal) || kind.StartsWith("stream", StringComparison.Ordinal));
}
