using Momo.Engine.Sequences;
using Momo.Engine.Telemetry;

namespace Momo.Engine.Scheduling.Chains;

/// <summary>
/// A chain's lengths for one step, each by its name; a chain reads only the ones it uses and leaves the rest 0.
/// </summary>
/// <param name="LookupCount">Prompt lookup's proposals the target verifies (the lookup chain).</param>
/// <param name="Gamma">γ: drafts the target verifies in one call (draft → target).</param>
/// <param name="Gamma1">γ₁: drafts per inner round, which the qualifier verifies (the pyramid).</param>
/// <param name="Gamma2">γ₂: qualified tokens to gather before the target verifies them (the pyramid).</param>
internal readonly record struct ChainLengths(int LookupCount = 0, int Gamma = 0, int Gamma1 = 0, int Gamma2 = 0);

/// <summary>
/// What bounds a sequence's lengths this step: <paramref name="Budget"/> proposals the request may still use (max_tokens
/// and context), the rows one decode of the target and of the qualifier may carry, and the proposals prompt lookup found.
/// </summary>
internal readonly record struct LengthBounds(int Budget, int TargetRows, int QualifierRows, int LookupFound);

/// <summary>
/// A verifying stage of a chain: its name in metrics and statistics, the longest run of proposals it verifies at once
/// (its per-position series run from 0 to this less one), the sequence's running acceptance estimate the stage teaches
/// (and the planner reads), and how a verification counts into the request's statistics.
/// </summary>
internal sealed record ChainStage(string Name, int Longest, Func<Sequence, Speculation.RunningAcceptance> Acceptance, Action<StageCounters, int, int> Count);

/// <summary>The mean-draft-length gauges (<see cref="EngineCounters.DraftLengths"/>), by index.</summary>
internal enum DraftLengthGauge
{
    /// <summary>γ₁ of the pyramid's inner stage.</summary>
    Inner = 0,

    /// <summary>γ₂ of the pyramid's outer stage.</summary>
    Outer = 1,

    /// <summary>γ of draft → target.</summary>
    TwoTier = 2,
}
