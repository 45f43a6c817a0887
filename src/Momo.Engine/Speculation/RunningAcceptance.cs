namespace Momo.Engine.Speculation;

/// <summary>
/// A sequence's running acceptance rate at one stage: an exponentially weighted mean over verified proposals,
/// starting from a prior so a new sequence drafts sensibly before it has evidence.
/// </summary>
internal sealed class RunningAcceptance(double prior = 0.7, double weightOfNew = 0.1)
{
    /// <summary>Current estimate in [0, 1].</summary>
    public double Rate { get; private set; } = prior;

    /// <summary>
    /// Folds in the expected acceptance of <paramref name="positions"/> proposals measured from the distributions
    /// themselves: where both rows exist, P(accept) = 1 − TV(proposal, verifier), rejected or not, so every verified run
    /// measures all its positions (a binary count stops at the first rejection).
    /// </summary>
    public void ObserveExpected(double sumOfAcceptance, int positions)
    {
        for (var i = 0; i < positions; i++)
        {
            Rate += weightOfNew * ((sumOfAcceptance / positions) - Rate);
        }
    }
}
