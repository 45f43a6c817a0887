using Momo.Bench.Measurement;
using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Engine.Runtime;
using Momo.Engine.Speculation;

namespace Momo.Bench.Analysis;

/// <summary>Turns raw measurements and cost curves into the report: per-mode figures, the analytic expectation, the
/// pyramid margin, the GPU-like projection, and findings that name the cost-model term behind any missed figure.</summary>
internal static class ReportBuilder
{
    /// <summary>Tier cost ratios of Llama 3.2 1B : 3.2 3B : 3.1 8B by parameters (the projection's GPU-like curves).</summary>
    public static readonly double[] GpuUnits = [1.24, 3.21, 8.03];

    /// <summary>Builds the report; <paramref name="curves"/> are seconds per tier (draft, qualifier, target) or null when remote.</summary>
    public static BenchReport Build(string target, string? preset, string command, RunMeasurements run,
        IReadOnlyList<double[]?>? curves, (double[]?[] Before, double[]?[]? After)? calibrations)
    {
        var modes = new List<ModeReport>();
        foreach (var group in run.Cells.GroupBy(c => (c.Key.Temperature, c.Key.Concurrency)).OrderBy(g => g.Key))
        {
            var rows = group.OrderBy(c => c.Key.Peer is not null).ThenBy(c => c.Key.Mode).ThenBy(c => c.Key.Peer, StringComparer.Ordinal)
                .Select(c => (Peer: c.Key.Peer is not null, Row: Measure(c.Key, c.Value, run.Gammas))).ToList();
            var baseline = rows.FirstOrDefault(r => !r.Peer && r.Row.Mode == DecodingMode.TargetOnly.ToApiName()).Row;
            // A peer decodes as it is configured: the analytic model of our modes does not apply to it.
            modes.AddRange(rows.Select(r => curves is null || r.Peer ? r.Row : r.Row with { Expected = Expect(r.Row, baseline, group.Key.Concurrency, curves) }));
        }
        var margins = Margins(modes);
        var projections = curves is null ? [] : Projections(modes);
        var report = new BenchReport(target, preset, command, run.Gammas, run.WallSeconds, Curves(curves, calibrations), modes,
            margins, projections, GreedyIdentical(run), []);
        return report with { Findings = Findings.Explain(report) };
    }

    private static ModeReport Measure(CellKey key, CellMeasurements cell, GammaPlan gammas)
    {
        var requests = cell.Requests;
        var stats = requests.Select(r => r.Statistics).OfType<GenerationStatistics>().ToList();
        var calls = stats.Sum(s => (long)s.TargetCalls);
        var stages = (key.Peer is null ? SpeculationStages.Of(key.Mode) : []).Where(cell.Stages.ContainsKey).Select(name =>
        {
            var t = cell.Stages[name];
            var positions = Math.Max(1, (int)Math.Ceiling(t.MeanProposed));
            return new StageReport(name, t.Alpha, t.AcceptanceRate, t.MeanProposed, t.Verifications, t.AcceptanceByPosition(positions), t.ConditionalByPosition(),
                [.. t.ProposedLengths]);
        }).ToList();
        var (inner, outer) = gammas.For(key.Mode);
        // Adaptive runs have no single γ: the model is evaluated at the mean proposal length actually used.
        int? Mean(string stage) => cell.Stages.TryGetValue(stage, out var t) && t.Verifications > 0 ? Math.Max(1, (int)Math.Round(t.MeanProposed)) : null;
        inner ??= key.Mode == DecodingMode.TwoTier ? Mean(SpeculationStages.DraftToTarget) : key.Mode == DecodingMode.Pyramid ? Mean(SpeculationStages.DraftToQualifier) : null;
        outer ??= key.Mode == DecodingMode.Pyramid ? Mean(SpeculationStages.QualifierToTarget) : null;
        return new ModeReport(key.Temperature, key.Concurrency, key.Label, requests.Count, requests.Sum(r => (long)r.CompletionTokens),
            Rate(cell.DecodeSpans), Rate(cell.EndToEndSpans),
            Median(requests.Select(r => r.FirstToken * 1e3)), Median(requests.Select(r => r.InterTokenLatency).OfType<double>().Select(s => s * 1e3)),
            calls > 0 ? (double)stats.Sum(s => (long)s.CompletionTokens) / calls : null, stages, inner, outer, null,
            PhaseMsPerToken(cell, requests.Sum(r => (long)r.CompletionTokens)),
            requests.Any(r => r.PromptTokens > 0 && r.FirstToken > 0) ? Median(requests.Where(r => r.PromptTokens > 0 && r.FirstToken > 0).Select(r => r.PromptTokens / r.FirstToken)) : null);
    }

    /// <summary>Engine-thread milliseconds per generated token by step phase; null for a run without the profile.</summary>
    private static Dictionary<string, double>? PhaseMsPerToken(CellMeasurements cell, long tokens) =>
        cell.PhaseSeconds.Count == 0 || tokens == 0
            ? null
            : cell.PhaseSeconds.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value * 1e3 / tokens);

    private static ExpectationReport? Expect(ModeReport row, ModeReport? baseline, int concurrency, IReadOnlyList<double[]?> curves)
    {
        if (Inputs(row) is not { } inputs || curves[2] is not { } targetSeconds)
        {
            return null;
        }
        var draft = curves[0] is { } d ? AnalyticModel.Batched(d, concurrency) : null;
        var qualifier = curves[1] is { } q ? AnalyticModel.Batched(q, concurrency) : null;
        var target = AnalyticModel.Batched(targetSeconds, concurrency);
        var expected = AnalyticModel.Rate(inputs, draft, qualifier, target);
        var expectedBase = SpeculationMath.TargetOnlyRate(target);
        var measuredSpeedup = baseline is { DecodeTokensPerSecond: > 0 } ? row.DecodeTokensPerSecond / baseline.DecodeTokensPerSecond : double.NaN;
        var speedup = expected / expectedBase;
        // Measured decode seconds per target call, per sequence: the run's decode time spread over its calls.
        double? secondsPerCall = row.TokensPerTargetCall is { } perCall && row.DecodeTokensPerSecond > 0 ? perCall / row.DecodeTokensPerSecond : null;
        return new ExpectationReport(expected, speedup, measuredSpeedup, measuredSpeedup / speedup, row.DecodeTokensPerSecond / expected,
            AnalyticModel.TokensPerTargetCall(inputs), AnalyticModel.SecondsPerTargetCall(inputs, draft, qualifier, target), secondsPerCall);
    }

    /// <summary>The model's inputs for a row: its measured acceptance per stage (by position) and its γ (null when something is missing).</summary>
    public static ModeInputs? Inputs(ModeReport row)
    {
        StageReport? Stage(string stage) => row.Stages.FirstOrDefault(s => s.Stage == stage);
        if (!DecodingModeNames.TryParse(row.Mode, out var mode))
        {
            return null;
        }
        var (dq, qt, dt) = (Stage(SpeculationStages.DraftToQualifier), Stage(SpeculationStages.QualifierToTarget), Stage(SpeculationStages.DraftToTarget));
        var verified = mode == DecodingMode.Pyramid ? qt : dt; // the stage whose proposals the target verifies
        var inputs = new ModeInputs(mode, dq?.Profile ?? 0, qt?.Profile ?? 0, dt?.Profile ?? 0, row.Inner ?? 1, row.Outer ?? 1,
            Lengths: verified?.Lengths is { } lengths && lengths.Any(n => n > 0) ? lengths : null);
        return mode switch
        {
            DecodingMode.TargetOnly => inputs,
            DecodingMode.Auto => Mix(row, Stage) is { } mix ? inputs with { Mix = mix } : null,
            DecodingMode.TwoTier when row.Inner is not null && dt is not null => inputs,
            DecodingMode.Pyramid when row.Inner is not null && row.Outer is not null && dq is not null && qt is not null => inputs,
            _ => null,
        };
    }

    /// <summary>
    /// The chains an <c>auto</c> row ran, from its stages' verifications and mean lengths and its target calls (completion
    /// tokens over tokens per call); null without server statistics.
    /// </summary>
    private static ChainMix? Mix(ModeReport row, Func<string, StageReport?> stage)
    {
        if (row.TokensPerTargetCall is not ({ } perCall and > 0))
        {
            return null;
        }
        (IReadOnlyList<long>, AcceptanceProfile) Chain(string name) =>
            stage(name) is { Verifications: > 0, Lengths: { } lengths } s ? (lengths, s.Profile) : ([], 0);
        var lookup = Chain(SpeculationStages.LookupToTarget);
        var twoTier = Chain(SpeculationStages.DraftToTarget);
        var pyramid = Chain(SpeculationStages.QualifierToTarget);
        var calls = (long)Math.Round(row.CompletionTokens / perCall);
        var inner = stage(SpeculationStages.DraftToQualifier);
        return new ChainMix(Math.Max(0, calls - lookup.Item1.Sum() - twoTier.Item1.Sum() - pyramid.Item1.Sum()), lookup, twoTier, pyramid,
            inner is { Verifications: > 0 } i ? Math.Max(1, (int)Math.Round(i.MeanProposed)) : 1, inner?.Profile ?? 0);
    }

    private static double Alpha(ModeReport row, string stage) => row.Stages.FirstOrDefault(s => s.Stage == stage)?.Alpha ?? double.NaN;

    private static List<MarginReport> Margins(IReadOnlyList<ModeReport> modes) =>
        modes.GroupBy(m => (m.Temperature, m.Concurrency)).Select(g =>
        {
            var pyramid = g.FirstOrDefault(m => m.Mode == "pyramid");
            var twoTier = g.FirstOrDefault(m => m.Mode == "two_tier");
            if (pyramid?.Expected is not { } p || twoTier?.Expected is not { } t || twoTier.DecodeTokensPerSecond <= 0)
            {
                return null;
            }
            var predicted = p.TokensPerSecond / t.TokensPerSecond;
            var measured = pyramid.DecodeTokensPerSecond / twoTier.DecodeTokensPerSecond;
            return new MarginReport(g.Key.Temperature, g.Key.Concurrency, predicted, measured, measured >= predicted - 0.10);
        }).OfType<MarginReport>().ToList();

    /// <summary>PROJECTION: the measured acceptance (concurrency 1) on GPU-like curves, γ chosen by the engine's planner.</summary>
    public static List<ProjectionReport> Projections(IReadOnlyList<ModeReport> modes)
    {
        var (draft, qualifier, target) = (AnalyticModel.GpuLike(GpuUnits[0]), AnalyticModel.GpuLike(GpuUnits[1]), AnalyticModel.GpuLike(GpuUnits[2]));
        var planner = new DraftLengthPlanner(draft, qualifier, target);
        var result = new List<ProjectionReport>();
        foreach (var temperature in modes.Select(m => m.Temperature).Distinct())
        {
            var first = modes.Where(m => m.Temperature == temperature).Min(m => m.Concurrency);
            var pyramid = modes.FirstOrDefault(m => m.Temperature == temperature && m.Concurrency == first && m.Mode == "pyramid");
            var twoTier = modes.FirstOrDefault(m => m.Temperature == temperature && m.Concurrency == first && m.Mode == "two_tier");
            if (pyramid is null || twoTier is null || Inputs(pyramid) is not { } p || Inputs(twoTier) is not { } t)
            {
                continue;
            }
            var gamma = planner.ChooseTwoTier(t.DraftTarget);
            var (inner, outer) = planner.ChoosePyramid(p.DraftQualifier, p.QualifierTarget);
            var baseRate = SpeculationMath.TargetOnlyRate(target);
            var twoRate = SpeculationMath.TwoTierRate(t.DraftTarget, gamma, draft, target);
            var pyrRate = SpeculationMath.PyramidRate(p.DraftQualifier, p.QualifierTarget, inner, outer, draft, qualifier, target);
            result.Add(new ProjectionReport(temperature, Alpha(pyramid, SpeculationStages.DraftToQualifier),
                Alpha(pyramid, SpeculationStages.QualifierToTarget), Alpha(twoTier, SpeculationStages.DraftToTarget),
                gamma, inner, outer, twoRate / baseRate, pyrRate / baseRate, pyrRate / twoRate));
        }
        return result;
    }

    private static List<TierCurveReport> Curves(IReadOnlyList<double[]?>? curves, (double[]?[] Before, double[]?[]? After)? calibrations)
    {
        string[] names = [Tier.Draft.ToName(), Tier.Qualifier.ToName(), Tier.Target.ToName()];
        return curves is null ? [] : Enumerable.Range(0, 3).Where(t => curves[t] is not null).Select(t => new TierCurveReport(names[t],
            curves[t]!, curves[t]!.Select(c => c / curves[t]![0]).ToArray(), calibrations?.Before[t], calibrations?.After?[t])).ToList();
    }

    private static bool? GreedyIdentical(RunMeasurements run)
    {
        var greedy = run.Cells.Where(c => c.Key.Temperature == 0).ToList();
        if (greedy.Count == 0)
        {
            return null;
        }
        // Within a concurrency level, the n-th request of every mode had the same prompt.
        return greedy.GroupBy(c => c.Key.Concurrency).All(level =>
        {
            var texts = level.Select(c => c.Value.Requests.Select(r => r.Text).ToList()).ToList();
            return texts.All(t => t.SequenceEqual(texts[0]));
        });
    }

    private static double Rate(List<(long Tokens, double Seconds)> spans) =>
        spans.Sum(s => s.Seconds) is var seconds and > 0 ? spans.Sum(s => s.Tokens) / seconds : 0;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
