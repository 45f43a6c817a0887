using System.Diagnostics.CodeAnalysis;
using Momo.Engine.Results;
using Momo.Engine.Scheduling;
using Momo.Engine.Sequences;

namespace Momo.Engine.Decoding;

/// <summary>
/// What a step's execution found, for the apply stage to commit, count and publish: every inner (draft → qualifier)
/// verification in order, and one target verification per ready sequence, in plan order.
/// </summary>
internal sealed record StepOutcome(IReadOnlyList<InnerVerification> Inner, IReadOnlyList<TargetVerification> Target);

/// <summary>The qualifier checked <paramref name="Proposed"/> drafts of a plan's sequence and accepted <paramref name="Accepted"/>.</summary>
/// <paramref name="ExpectedAcceptance"/> holds 1 − TV(q, m) at each proposal: the pair's acceptance, measured from the rows.
[SuppressMessage("Performance", "CA1819", Justification = "VerifierRows allocated it for this one verdict and handed it over; the applier reads it per position, once, with no copy.")]
internal readonly record struct InnerVerification(SequencePlan Plan, int Proposed, int Accepted, double[] ExpectedAcceptance);

/// <summary>
/// The target checked the <paramref name="Proposed"/> tail tokens that a plan's chain produced for its sequence
/// (starting at the sequence's committed length), accepted the first <paramref name="Accepted"/>, and emitted
/// <paramref name="Next"/> (the recovered token from the residual, or the bonus token).
/// </summary>
/// <paramref name="ExpectedAcceptance"/> holds 1 − TV(proposal row, p) at each proposal.
[SuppressMessage("Performance", "CA1819", Justification = "VerifierRows allocated it for this one verdict and handed it over; the applier reads it per position, once, with no copy.")]
internal readonly record struct TargetVerification(SequencePlan Plan, int Proposed, int Accepted, int Next, double[] ExpectedAcceptance)
{
    public Sequence Sequence => Plan.Sequence;

    /// <summary>The target's log-probabilities of the accepted tokens and <see cref="Next"/>, when the request asked for them.</summary>
    public TokenLogprob[]? Logprobs { get; init; }
}
