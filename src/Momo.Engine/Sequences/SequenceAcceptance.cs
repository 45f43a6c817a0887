using Momo.Engine.Speculation;

namespace Momo.Engine.Sequences;

/// <summary>
/// A sequence's running acceptance estimates, one per verifying stage (each starts from what the engine's recent
/// sequences of the same kind measured, <see cref="AcceptancePriors"/>), and <c>auto</c>'s probing counters.
/// </summary>
internal sealed class SequenceAcceptance(StageAcceptance engineWide)
{
    public RunningAcceptance DraftToQualifier { get; } = new(engineWide.DraftToQualifier);
    public RunningAcceptance QualifierToTarget { get; } = new(engineWide.QualifierToTarget);
    public RunningAcceptance DraftToTarget { get; } = new(engineWide.DraftToTarget);
    public RunningAcceptance LookupToTarget { get; } = new(engineWide.LookupToTarget);

    /// <summary>Consecutive steps in which <c>auto</c> chose the target alone (it probes speculation now and then).</summary>
    public int StepsWithoutSpeculation { get; set; }

    /// <summary>Probes <c>auto</c> has made, to take the speculative chains in turn.</summary>
    public int Probes { get; set; }
}
