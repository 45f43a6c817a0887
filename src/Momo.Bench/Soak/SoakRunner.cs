using System.Collections.Concurrent;
using System.Diagnostics;
using Momo.Bench.Workloads;

namespace Momo.Bench.Soak;

/// <summary>
/// Runs the soak: <see cref="SoakOptions.Clients"/> loops, each sending random requests back to back until the time
/// is up (or, with <see cref="SoakOptions.Requests"/>, until that many have been sent in all), a share of them dropped
/// after the first streamed chunk; then it waits for the server to settle and reads what it still holds.
/// </summary>
internal static class SoakRunner
{
    /// <summary>How long the server gets to free the last requests' sequences before "held at the end" is read.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(30);

    public static async Task<SoakReport> RunAsync(SoakOptions options, string command, CancellationToken cancellation = default)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var prompts = PromptSets.Mixed(PromptSets.Names).Select(p => p.Text).ToArray();
        var start = await ServerGauges.ReadAsync(http, options.Url, cancellation);
        var outcomes = new ConcurrentBag<SoakOutcome>();
        var clock = Stopwatch.StartNew();
        var sent = 0;
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
        {
            if (options.Requests is null)
            {
                stop.CancelAfter(options.RunFor);
            }
            var client = new SoakClient(http, options);
            await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(c => Task.Run(async () =>
            {
                var random = new Random(HashCode.Combine(options.Seed, c));
                while (!stop.IsCancellationRequested && (options.Requests is not { } count || Interlocked.Increment(ref sent) <= count))
                {
                    var disconnect = random.NextDouble() < options.DisconnectFraction;
                    var outcome = await client.SendAsync(random, prompts[random.Next(prompts.Length)], disconnect, stop.Token);
                    if (outcome.Kind != "stopped")
                    {
                        outcomes.Add(outcome);
                    }
                }
            }, CancellationToken.None)));
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var end = await SettleAsync(http, options.Url, start.IsKnown, cancellation);
        var all = outcomes.ToArray();
        var latencies = all.Where(o => o.Kind == "ok").Select(o => o.Seconds).Order().ToArray();
        return new SoakReport(
            options.Url, command, seconds, options.Clients, all.Length,
            latencies.Length, all.Count(o => o.Kind == "disconnected"),
            all.Where(o => o.IsError).GroupBy(o => o.Kind).ToDictionary(g => g.Key, g => g.Count()),
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), start, end);
    }

    // The clients stopped mid-request when the time ran out; give the server a bounded while to free those sequences.
    // A server that exported the gauges at the start is asked again when one read fails.
    private static async Task<ServerGauges> SettleAsync(HttpClient http, string url, bool known, CancellationToken cancellation)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var gauges = await ServerGauges.ReadAsync(http, url, cancellation);
            var settled = gauges.IsKnown ? gauges.Running == 0 && (gauges.Waiting ?? 0) == 0 : !known;
            if (settled || deadline.Elapsed > SettleTime)
            {
                return gauges;
            }
            await Task.Delay(100, cancellation);
        }
    }

    private static double? Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? null : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
