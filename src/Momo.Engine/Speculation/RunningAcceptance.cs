namespace Momo.Engine.Speculation;

/// <summary>
/// A sequence's running acceptance rate at one stage: an exponentially weighted mean over verified proposals,
/// starting from a prior so a new sequence drafts sensibly before it has evidence.
/// </summary>
internal sealed class RunningAcceptance(double prior = 0.7, double weightOfNew = 0.1)
{
    /// <summary>Current estimate in [0, 1].</summary>
    public double Rate { get; private set; } = prior;

    /// <summary>Folds in one verification: <paramref name="accepted"/> of <paramref name="proposed"/> accepted.</summary>
    public void Observe(int accepted, int proposed)
    {
        // Each proposal is one Bernoulli observation; the first rejection ends the run, so the proposals after it
        // were never tested and do not count.
        var tested = Math.Min(proposed, accepted + 1);
        for (var i = 0; i < tested; i++)
        {
            Rate += weightOfNew * ((i < accepted ? 1.0 : 0.0) - Rate);
        }
    }
}
