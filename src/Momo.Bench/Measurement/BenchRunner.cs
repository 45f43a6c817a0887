using System.Diagnostics;
using Momo.Bench.Targets;
using Momo.Bench.Workloads;

namespace Momo.Bench.Measurement;

/// <summary>Everything one benchmark run measured.</summary>
/// <param name="Cells">Measurements per (temperature, concurrency, mode).</param>
/// <param name="Gammas">Draft lengths used.</param>
/// <param name="WallSeconds">Duration of the interleaved run (warm-up excluded).</param>
internal sealed record RunMeasurements(IReadOnlyDictionary<CellKey, CellMeasurements> Cells, GammaPlan Gammas, double WallSeconds);

/// <summary>
/// Runs the interleaved schedule against a target: an optional warm-up (which also picks the fixed γ), then every
/// scheduled batch of concurrent requests in order, attributing the engine's verification counts to the batch's cell.
/// All modes of a round get the same prompts and seeds.
/// </summary>
internal sealed class BenchRunner(IBenchTarget target, BenchOptions options, AcceptanceRecorder? recorder, PhaseRecorder? phases = null)
    : IDisposable
{
    private readonly Dictionary<string, IBenchTarget> _peers = options.PeerList.ToDictionary(p => p.Name, p => (IBenchTarget)new HttpTarget(p.Url, p.Name, choosesMode: false));

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly IReadOnlyList<(string Set, string Text)> _prompts = PromptSets.Mixed(options.PromptSetList);

    /// <summary>Batches the run will execute (for a progress bar).</summary>
    public IReadOnlyList<ScheduledBatch> Order { get; } =
        Schedule.Interleaved(options.Rounds, options.TemperatureList, options.ConcurrencyList, options.ModeList, options.PeerList.Select(p => p.Name).ToList());

    /// <summary>Runs everything; <paramref name="progress"/> is told about each finished batch.</summary>
    public async Task<RunMeasurements> RunAsync(Action<string> progress, CancellationToken cancellation)
    {
        var gammas = await ChooseGammasAsync(progress, cancellation);
        var cells = new Dictionary<CellKey, CellMeasurements>();
        var started = _clock.Elapsed.TotalSeconds;
        foreach (var batch in Order)
        {
            if (!cells.TryGetValue(batch.Cell, out var cell))
            {
                cells[batch.Cell] = cell = new CellMeasurements();
            }
            recorder?.Into(cell.Stages);
            phases?.Into(cell.PhaseSeconds);
            cell.AddBatch(await RunBatchAsync(batch, gammas, cancellation));
            recorder?.Into(null);
            phases?.Into(null);
            progress($"round {batch.Round + 1}: {batch.Cell.Label} ×{batch.Cell.Concurrency} T={batch.Cell.Temperature}");
        }
        return new RunMeasurements(cells, gammas, _clock.Elapsed.TotalSeconds - started);
    }

    private async Task<GammaPlan> ChooseGammasAsync(Action<string> progress, CancellationToken cancellation)
    {
        if (options.Adaptive)
        {
            return new GammaPlan(null, null, null, "adaptive (the engine's planner, per sequence)");
        }
        if (options.DraftTokens is not null || options.QualifiedTokens is not null || target.CostCurves is null || recorder is null)
        {
            var inner = options.DraftTokens ?? GammaPlan.DefaultInner;
            return new GammaPlan(inner, inner, options.QualifiedTokens ?? GammaPlan.DefaultOuter, "fixed");
        }
        // Warm-up: one adaptive batch per mode (also warms caches and the JIT), then the planner's best fixed γ.
        var warmUp = new Dictionary<string, StageTally>();
        var adaptive = new GammaPlan(null, null, null, "warm-up");
        recorder.Into(warmUp);
        foreach (var mode in options.ModeList)
        {
            await RunBatchAsync(new ScheduledBatch(0, new CellKey(options.TemperatureList[0], 1, mode)), adaptive, cancellation);
        }
        recorder.Into(null);
        progress("warm-up");
        return GammaPlan.FromWarmUp(target.CostCurves, warmUp);
    }

    private async Task<IReadOnlyList<RequestResult>> RunBatchAsync(ScheduledBatch batch, GammaPlan gammas, CancellationToken cancellation)
    {
        var (draft, qualified) = gammas.For(batch.Cell.Mode);
        var requests = Enumerable.Range(0, batch.Cell.Concurrency).Select(i =>
        {
            // The same prompt and seed for every mode of a round: the modes differ only in how they decode.
            var index = ((batch.Round * batch.Cell.Concurrency) + i) % _prompts.Count;
            var (set, text) = _prompts[index];
            var seed = (ulong)((options.Seed * 1000L) + (batch.Round * 64) + i);
            var request = new BenchRequest(set, text, batch.Cell.Mode, batch.Cell.Temperature, seed, options.MaxTokens, draft, qualified,
                options.BanEndTokens ? target.EndTokens : null);
            var runner = batch.Cell.Peer is { } peer ? _peers[peer] : target;
            return runner.RunAsync(request, _clock.Elapsed.TotalSeconds, cancellation);
        });
        return await Task.WhenAll(requests);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var peer in _peers.Values)
        {
            peer.Dispose();
        }
    }
}
