namespace Momo.Engine.Speculation;

/// <summary>
/// A sequence's running acceptance at one stage, by proposal position (<see cref="AcceptanceProfile"/>): per position,
/// the mean of the prior (worth <see cref="PriorWeight"/> observations) and the observations while they are few, then
/// an exponentially weighted mean, so a new sequence drafts sensibly before it has evidence, loses a wrong prior within
/// a few verifications (lookup's optimistic prior costs a whole verification each time it is wrong), and later follows
/// the text as it changes.
/// </summary>
internal sealed class RunningAcceptance
{
    /// <summary>Positions estimated apart; later ones share the last estimate.</summary>
    public const int Positions = 8;

    /// <summary>
    /// How fast a position no run reaches drifts back to the first position's estimate, per verification. Without it a
    /// position estimated low would never be drafted again, so never measured again; with it the planner tries a longer
    /// run now and then (about every 1 / rate verifications) and learns whether the text changed.
    /// </summary>
    public const double Reconsider = 0.02;

    /// <summary>How many observations the prior is worth.</summary>
    public const double PriorWeight = 2;

    private readonly double[] _conditional = new double[Positions];
    private readonly int[] _observed = new int[Positions];
    private readonly double _weightOfNew;

    /// <summary>A prior of <paramref name="prior"/> at every position.</summary>
    public RunningAcceptance(double prior = 0.7, double weightOfNew = 0.1)
    {
        Array.Fill(_conditional, prior);
        _weightOfNew = weightOfNew;
    }

    /// <summary>The estimate to plan with (live: it changes as this learns; plan and learn on the same thread).</summary>
    public AcceptanceProfile Profile => AcceptanceProfile.ByPosition(_conditional);

    /// <summary>
    /// Folds in one verification: <paramref name="acceptanceByPosition"/>[i] = 1 − TV(proposal row, verifier row) at
    /// position i, the exact chance proposal i is accepted given its context, and <paramref name="accepted"/> proposals
    /// were accepted. Position i is learnt only where its context is the committed text, that is where every proposal
    /// before it was accepted (positions 0..accepted); after a rejection the context holds a rejected token, and its
    /// agreement says nothing about acceptance once reached. Measuring 1 − TV rather than counting acceptances gives a
    /// sampled run the exact expectation instead of a 0/1 draw.
    /// </summary>
    public void Observe(ReadOnlySpan<double> acceptanceByPosition, int accepted)
    {
        var reached = Math.Min(accepted + 1, acceptanceByPosition.Length);
        for (var i = 0; i < reached; i++)
        {
            var position = Math.Min(i, Positions - 1);
            var weight = Math.Max(_weightOfNew, 1 / (++_observed[position] + PriorWeight));
            _conditional[position] += weight * (acceptanceByPosition[i] - _conditional[position]);
        }
        for (var position = Math.Max(acceptanceByPosition.Length, 1); position < Positions; position++)
        {
            _conditional[position] += Reconsider * (_conditional[0] - _conditional[position]);
        }
    }
}
