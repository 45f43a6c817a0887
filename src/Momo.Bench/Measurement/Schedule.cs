using Momo.Engine.Requests;

namespace Momo.Bench.Measurement;

/// <summary>A (temperature, concurrency, mode) combination whose requests are aggregated together.</summary>
/// <param name="Temperature">0 = greedy.</param>
/// <param name="Concurrency">Requests in flight at once.</param>
/// <param name="Mode">Decoding mode (of the engine in this process; a peer decodes as it is configured).</param>
/// <param name="Peer">Name of the peer server that ran the cell, or null for the engine in this process.</param>
internal sealed record CellKey(double Temperature, int Concurrency, DecodingMode Mode, string? Peer = null)
{
    /// <summary>The row's name in reports: the mode, or the peer.</summary>
    public string Label => Peer is { } peer ? $"peer:{peer}" : Mode.ToApiName();
}

/// <summary>One batch of concurrent requests in the run order.</summary>
/// <param name="Round">Interleaving round (0-based).</param>
/// <param name="Cell">What the batch measures.</param>
internal sealed record ScheduledBatch(int Round, CellKey Cell);

/// <summary>
/// The run order. Modes alternate innermost (A B C A B C …) so slow drift of a shared machine (other tenants, thermal
/// state, page cache) lands on every mode alike instead of on whichever mode ran last.
/// </summary>
internal static class Schedule
{
    /// <summary>Round by round, each temperature and concurrency level in turn, every mode once, then every peer once.</summary>
    public static IReadOnlyList<ScheduledBatch> Interleaved(int rounds, IReadOnlyList<double> temperatures,
        IReadOnlyList<int> concurrency, IReadOnlyList<DecodingMode> modes, IReadOnlyList<string>? peers = null)
    {
        var order = new List<ScheduledBatch>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var temperature in temperatures)
            {
                foreach (var level in concurrency)
                {
                    foreach (var mode in modes)
                    {
                        order.Add(new ScheduledBatch(round, new CellKey(temperature, level, mode)));
                    }
                    foreach (var peer in peers ?? [])
                    {
                        order.Add(new ScheduledBatch(round, new CellKey(temperature, level, DecodingMode.TargetOnly, peer)));
                    }
                }
            }
        }
        return order;
    }
}
