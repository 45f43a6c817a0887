using Momo.Bench.Analysis;
using Momo.Bench.Measurement;
using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Engine.Speculation;

namespace Momo.Bench.Tests;

public class ReportBuilderTests
{
    // Flat curves: target 10 ms, draft 1 ms, qualifier 3 ms for any k ≤ 16.
    private static readonly double[]?[] Curves = [Flat(0.001), Flat(0.003), Flat(0.010)];

    private static double[] Flat(double seconds) => Enumerable.Repeat(seconds, 16).ToArray();

    private static CellMeasurements Cell(DecodingMode mode, double seconds, int targetCalls, params (string Stage, int Proposed, int Accepted)[] verifications)
    {
        var cell = new CellMeasurements();
        var stats = new GenerationStatistics { Mode = mode.ToApiName(), CompletionTokens = 101, TargetCalls = targetCalls };
        cell.AddBatch([new RequestResult(mode, "story", 101, 0.05, 0.05 + seconds, 0, "same text", stats)]);
        foreach (var (stage, proposed, accepted) in verifications)
        {
            if (!cell.Stages.TryGetValue(stage, out var tally))
            {
                cell.Stages[stage] = tally = new StageTally();
            }
            tally.Add(proposed, accepted);
        }
        return cell;
    }

    private static BenchReport Build(double twoTierSeconds)
    {
        var cells = new Dictionary<CellKey, CellMeasurements>
        {
            [new(0, 1, DecodingMode.TargetOnly)] = Cell(DecodingMode.TargetOnly, 1.0, 101),
            // Three runs that accept the first draft and reject the second: α = 0.5, and by position a = (1, 0).
            [new(0, 1, DecodingMode.TwoTier)] = Cell(DecodingMode.TwoTier, twoTierSeconds, 60,
                (SpeculationStages.DraftToTarget, 4, 1), (SpeculationStages.DraftToTarget, 4, 1), (SpeculationStages.DraftToTarget, 4, 1)),
        };
        var run = new RunMeasurements(cells, new GammaPlan(4, 4, 8, "fixed"), 2);
        return ReportBuilder.Build("test", "hand-made", "cmd", run, Curves, null);
    }

    [Fact]
    public void Expected_speedup_comes_from_the_measured_acceptance_by_position_and_the_curves()
    {
        var report = Build(twoTierSeconds: 0.5);
        var twoTier = report.Modes.Single(m => m.Mode == "two_tier");
        // a = (1, 0), γ = 4: G = 1 + 1 + 0 = 2 (one α of 0.5 would promise 1.9375 by luck, not by position);
        // cost = 4·1 ms + 10 ms = 14 ms; target_only: 1/10 ms.
        Assert.Equal(0.5, twoTier.Stages.Single().Alpha, 12);
        Assert.Equal([1.0, 0.0], twoTier.Stages.Single().Conditional!);
        Assert.Equal(2.0 / 0.014 / 100, twoTier.Expected!.Speedup, 9);
        Assert.Equal(2.0, twoTier.Expected.MeasuredSpeedup, 9); // 100 tokens in 0.5 s vs in 1 s
        Assert.Equal(2.0 / (2.0 / 1.4), twoTier.Expected.SpeedupRatio, 9);
        Assert.Contains(report.Findings, f => f.StartsWith("two_tier ×1", StringComparison.Ordinal) && f.Contains(": met.", StringComparison.Ordinal));
        Assert.True(report.GreedyOutputsIdentical);
    }

    [Fact]
    public void Auto_is_expected_to_run_as_fast_as_the_mix_of_chains_it_chose()
    {
        // 40 target calls: 20 verified 4 lookup proposals each (all accepted: 5 tokens a call), 20 ran the target alone.
        var lookups = Enumerable.Repeat((SpeculationStages.LookupToTarget, 4, 4), 20).ToArray();
        var cells = new Dictionary<CellKey, CellMeasurements>
        {
            [new(0, 1, DecodingMode.TargetOnly)] = Cell(DecodingMode.TargetOnly, 1.0, 101),
            [new(0, 1, DecodingMode.Auto)] = Cell(DecodingMode.Auto, 0.5, 40, lookups),
        };
        var report = ReportBuilder.Build("test", "hand-made", "cmd", new RunMeasurements(cells, new GammaPlan(4, 4, 8, "fixed"), 2), Curves, null);

        var auto = report.Modes.Single(m => m.Mode == "auto");
        // 20 + 20 · 5 = 120 tokens for 40 calls of 10 ms (flat curves): 300 tok/s against the target alone's 100.
        Assert.Equal(3.0, auto.Expected!.Speedup, 9);
        Assert.Equal(3.0, auto.Expected.ModelTokensPerCall, 9);
    }

    [Fact]
    public void A_missed_figure_names_the_term_that_is_off()
    {
        var report = Build(twoTierSeconds: 2.0); // slower than target_only although the model expects 1.38×
        var finding = Assert.Single(report.Findings, f => f.StartsWith("two_tier", StringComparison.Ordinal));
        Assert.Contains("MISSED", finding, StringComparison.Ordinal);
        Assert.Contains("cost term off", finding, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_reject_unknown_flags_and_bad_values()
    {
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--frobnicate"]));
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--modes", "pyramid,turbo"]));
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--adaptive", "--draft-tokens", "3"]));
        var options = BenchOptions.Parse(["--concurrency", "1,4", "--temperatures", "0,0.8", "--url", "http://x/v1/"]);
        Assert.Equal([1, 4], options.ConcurrencyList);
        Assert.Equal([0.0, 0.8], options.TemperatureList);
        Assert.Equal("http://x/v1", options.Url);
    }
}
