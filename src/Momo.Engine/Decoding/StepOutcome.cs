using Momo.Engine.Scheduling;

namespace Momo.Engine.Decoding;

/// <summary>What a step's execution found, for the apply stage to commit, count and publish.</summary>
internal sealed class StepOutcome
{
    /// <summary>Every inner (draft → qualifier) verification, in order.</summary>
    public List<InnerVerification> Inner { get; } = [];

    /// <summary>One target verification per sequence that was ready this step.</summary>
    public List<TargetVerification> Target { get; } = [];

    public void Clear()
    {
        Inner.Clear();
        Target.Clear();
    }
}

/// <summary>The qualifier checked <paramref name="Proposed"/> drafts of a sequence and accepted <paramref name="Accepted"/>.</summary>
/// <paramref name="ExpectedAcceptance"/> holds 1 − TV(q, m) at each proposal: the pair's acceptance, measured from the rows.
internal readonly record struct InnerVerification(Sequence Sequence, int Proposed, int Accepted, double[] ExpectedAcceptance);

/// <summary>
/// The target checked the <paramref name="Proposed"/> tail tokens that <paramref name="Chain"/> produced for a sequence, starting at working index
/// <paramref name="FirstTail"/>, accepted the first <paramref name="Accepted"/>, and emitted <paramref name="Next"/>
/// (the recovered token from the residual, or the bonus token).
/// </summary>
/// <paramref name="ExpectedAcceptance"/> holds 1 − TV(proposal row, p) at each proposal.
internal readonly record struct TargetVerification(
    Sequence Sequence, Chain Chain, int FirstTail, int Proposed, int Accepted, int Next, double[] ExpectedAcceptance)
{
    /// <summary>The target's log-probabilities of the accepted tokens and <see cref="Next"/>, when the request asked for them.</summary>
    public TokenLogprob[]? Logprobs { get; init; }
}
