using System.Text.Json.Serialization;
using Momo.Engine.Speculation;
namespace Momo.Bench.Analysis;

/// <summary>The benchmark's result: what the JSON file holds and the console and Markdown reports show.</summary>
/// <param name="Target">What was measured.</param>
/// <param name="Preset">Forge preset, when a forged family was measured.</param>
/// <param name="Command">Command line that reproduces the run.</param>
/// <param name="Gammas">Draft lengths and how they were chosen.</param>
/// <param name="WallSeconds">Duration of the interleaved run.</param>
/// <param name="Curves">Each tier's measured cost curve.</param>
/// <param name="Modes">One row per (temperature, concurrency, mode).</param>
/// <param name="Margins">Pyramid over two-tier, predicted and measured, per cell.</param>
/// <param name="Projections">The GPU-like projection from the measured acceptance.</param>
/// <param name="GreedyOutputsIdentical">Whether every greedy prompt produced the same text in every mode (null: no greedy cells).</param>
/// <param name="Findings">Figures met or missed, and why.</param>
internal sealed record BenchReport(
    string Target,
    string? Preset,
    string Command,
    Measurement.GammaPlan Gammas,
    double WallSeconds,
    IReadOnlyList<TierCurveReport> Curves,
    IReadOnlyList<ModeReport> Modes,
    IReadOnlyList<MarginReport> Margins,
    IReadOnlyList<ProjectionReport> Projections,
    bool? GreedyOutputsIdentical,
    IReadOnlyList<string> Findings);

/// <summary>A tier's cost curve.</summary>
/// <param name="Tier">draft, qualifier or target.</param>
/// <param name="Seconds">Median seconds for k = 1..16 (mean of the calibrations before and after the run).</param>
/// <param name="Relative">cost(k) / cost(1).</param>
/// <param name="Before">Calibration before the run.</param>
/// <param name="After">Calibration after the run.</param>
internal sealed record TierCurveReport(
    string Tier, IReadOnlyList<double> Seconds, IReadOnlyList<double> Relative, IReadOnlyList<double>? Before, IReadOnlyList<double>? After);

/// <summary>One stage's acceptance.</summary>
/// <param name="Stage">draft_to_qualifier, qualifier_to_target or draft_to_target.</param>
/// <param name="Alpha">Per-token acceptance α (maximum likelihood; the model's input).</param>
/// <param name="AcceptanceRate">Accepted / proposed.</param>
/// <param name="MeanProposed">Tokens proposed per verification.</param>
/// <param name="Verifications">Verifications seen.</param>
/// <param name="ByPosition">Fraction of verifications accepting position i.</param>
/// <param name="Conditional">Acceptance at position i of the verifications that reached it (the model's input).</param>
/// <param name="Lengths">Verifications by the number of tokens they proposed ([k]).</param>
internal sealed record StageReport(
    string Stage, double Alpha, double AcceptanceRate, double MeanProposed, long Verifications, IReadOnlyList<double> ByPosition,
    IReadOnlyList<double>? Conditional = null, IReadOnlyList<long>? Lengths = null)
{
    /// <summary>The acceptance the analytic model uses: by position where measured, else α at every position.</summary>
    [JsonIgnore]
    public AcceptanceProfile Profile => Conditional is { Count: > 0 } c ? AcceptanceProfile.ByPosition([.. c]) : Alpha;
}

/// <summary>One mode in one (temperature, concurrency) cell.</summary>
/// <param name="Temperature">0 = greedy.</param>
/// <param name="Concurrency">Requests in flight.</param>
/// <param name="Mode">API name of the mode.</param>
/// <param name="Requests">Requests measured.</param>
/// <param name="CompletionTokens">Tokens generated.</param>
/// <param name="DecodeTokensPerSecond">Aggregate generation rate after the first token (what the model predicts).</param>
/// <param name="EndToEndTokensPerSecond">Aggregate tokens over send-to-last-token time.</param>
/// <param name="TimeToFirstTokenMs">Median time to first token.</param>
/// <param name="InterTokenLatencyMs">Median of per-request mean inter-token latency.</param>
/// <param name="TokensPerTargetCall">Completion tokens per target call (server statistics).</param>
/// <param name="Stages">Acceptance per stage.</param>
/// <param name="Inner">γ₁ (two-tier: γ) used in the model.</param>
/// <param name="Outer">γ₂ used in the model.</param>
/// <param name="Expected">The analytic expectation (null without cost curves).</param>
/// <param name="PhaseMsPerToken">Engine-thread ms per generated token by step phase ("phase/tier"); null without the profile.</param>
/// <param name="PrefillTokensPerSecond">Median prompt tokens per second of time to first token (null when prompt sizes are unknown).</param>
internal sealed record ModeReport(
    double Temperature, int Concurrency, string Mode, int Requests, long CompletionTokens,
    double DecodeTokensPerSecond, double EndToEndTokensPerSecond, double TimeToFirstTokenMs, double InterTokenLatencyMs,
    double? TokensPerTargetCall, IReadOnlyList<StageReport> Stages, int? Inner, int? Outer, ExpectationReport? Expected,
    IReadOnlyDictionary<string, double>? PhaseMsPerToken = null, double? PrefillTokensPerSecond = null);

/// <summary>Measured against the analytic model.</summary>
/// <param name="TokensPerSecond">Expected aggregate tokens per second.</param>
/// <param name="Speedup">Expected speedup over target_only.</param>
/// <param name="MeasuredSpeedup">Measured speedup over target_only (same cell).</param>
/// <param name="SpeedupRatio">Measured / expected speedup (the figure: ≥ 0.9).</param>
/// <param name="AbsoluteRatio">Measured / expected tokens per second.</param>
/// <param name="ModelTokensPerCall">The acceptance term: expected tokens per target call.</param>
/// <param name="ModelSecondsPerCall">The cost term: expected seconds per target call (drafting included), per sequence.</param>
/// <param name="MeasuredSecondsPerCall">Measured decode seconds per target call, per sequence.</param>
internal sealed record ExpectationReport(double TokensPerSecond, double Speedup, double MeasuredSpeedup, double SpeedupRatio,
    double AbsoluteRatio, double ModelTokensPerCall, double ModelSecondsPerCall, double? MeasuredSecondsPerCall);

/// <summary>Pyramid over two-tier in one cell.</summary>
/// <param name="Temperature">0 = greedy.</param>
/// <param name="Concurrency">Requests in flight.</param>
/// <param name="Predicted">Expected pyramid / two-tier tokens per second.</param>
/// <param name="Measured">Measured pyramid / two-tier tokens per second.</param>
/// <param name="Met">Measured ≥ predicted − 0.10.</param>
internal sealed record MarginReport(double Temperature, int Concurrency, double Predicted, double Measured, bool Met);

/// <summary>PROJECTION (not measured): speedups on a GPU-like cost curve from the measured acceptance.</summary>
/// <param name="Temperature">Cell whose acceptance (concurrency 1) is used.</param>
/// <param name="AlphaDraftQualifier">Measured α, inner stage.</param>
/// <param name="AlphaQualifierTarget">Measured α, outer stage.</param>
/// <param name="AlphaDraftTarget">Measured α, two-tier.</param>
/// <param name="TwoTierGamma">Planner's γ on the GPU-like curves.</param>
/// <param name="Inner">Planner's γ₁.</param>
/// <param name="Outer">Planner's γ₂.</param>
/// <param name="TwoTierSpeedup">Two-tier over target_only.</param>
/// <param name="PyramidSpeedup">Pyramid over target_only (aim ≥ 2).</param>
/// <param name="PyramidOverTwoTier">Pyramid over two-tier (aim ≥ 1.3).</param>
internal sealed record ProjectionReport(double Temperature, double AlphaDraftQualifier, double AlphaQualifierTarget, double AlphaDraftTarget,
    int TwoTierGamma, int Inner, int Outer, double TwoTierSpeedup, double PyramidSpeedup, double PyramidOverTwoTier);
