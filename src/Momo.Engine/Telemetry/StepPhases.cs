using System.Diagnostics;
using Momo.Engine.Runtime;

namespace Momo.Engine.Telemetry;

/// <summary>
/// Where an engine step's time goes, recorded into <c>engine_step_phase_seconds{phase, tier}</c>: planning, each tier's
/// native decodes (prompt prefill apart), the managed work on each tier's logits (distributions, sampling, acceptance
/// tests), and applying the outcome (commit, rollback, detokenizing, publishing). Timestamps are
/// <see cref="Stopwatch.GetTimestamp"/> values, so a phase costs two clock reads.
/// </summary>
public static class StepPhases
{
    /// <summary>Choosing prefill chunks and draft lengths.</summary>
    public const string Plan = "plan";

    /// <summary>A tier's native decodes of prompt tokens.</summary>
    public const string Prefill = "prefill";

    /// <summary>A tier's native decodes during speculation and verification.</summary>
    public const string Decode = "decode";

    /// <summary>Managed work on a tier's logits: distributions, sampling and acceptance tests.</summary>
    public const string Rows = "rows";

    /// <summary>Committing, rolling back, detokenizing and publishing.</summary>
    public const string Apply = "apply";

    /// <summary>The tier label of phases that belong to no tier.</summary>
    public const string NoTier = "none";

    internal static string TierLabel(Tier? tier) => tier?.ToName() ?? NoTier;
}
