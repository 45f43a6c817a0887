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
    /// How fast a position a verification did not reach drifts towards the position before it, per verification.
    /// Without it a position estimated low would never be drafted again, so never measured again; with it the planner
    /// tries a longer run now and then and learns whether the text changed.
    /// </summary>
    public const double Reconsider = 0.02;

    /// <summary>How many observations the prior is worth.</summary>
    public const double PriorWeight = 2;

    private readonly double[] _conditional = new double[Positions];
    private readonly int[] _observed = new int[Positions];
    private readonly double _weightOfNew;
    // [position] whether the prior there was measured (an engine-wide estimate that saw the position); where it was only
    // guessed, a position without observations of its own follows the one before it.
    private readonly bool[] _measuredPrior = new bool[Positions];
    private readonly RunningAcceptance? _teaches;

    /// <summary>A prior of <paramref name="prior"/> at every position.</summary>
    public RunningAcceptance(double prior = 0.7, double weightOfNew = 0.1)
    {
        Array.Fill(_conditional, prior);
        _weightOfNew = weightOfNew;
    }

    /// <summary>
    /// A sequence's estimate that starts from <paramref name="engineWide"/>'s current one, position by position, and
    /// teaches it every verification it observes.
    /// </summary>
    public RunningAcceptance(RunningAcceptance engineWide, double weightOfNew = 0.1)
    {
        engineWide._conditional.CopyTo(_conditional, 0);
        for (var position = 0; position < Positions; position++)
        {
            _measuredPrior[position] = engineWide._observed[position] > 0 || engineWide._measuredPrior[position];
        }
        _weightOfNew = weightOfNew;
        _teaches = engineWide;
    }

    /// <summary>The estimate to plan with (live: it changes as this learns; plan and learn on the same thread).</summary>
    public AcceptanceProfile Profile => AcceptanceProfile.ByPosition(_conditional);

    /// <summary>
    /// Folds in one verification: <paramref name="acceptanceByPosition"/>[i] = 1 − TV(proposal row, verifier row) at
    /// position i, the exact chance proposal i is accepted given its context, and <paramref name="accepted"/> proposals
    /// were accepted. Position i is learnt only where its context is the committed text, that is where every proposal
    /// before it was accepted (positions 0..accepted); after a rejection the context holds a rejected token, and its
    /// agreement says nothing about acceptance once reached. Measuring 1 − TV rather than counting acceptances gives a
    /// sampled run the exact expectation instead of a 0/1 draw. A position never reached takes the estimate of the one
    /// before it (the nearest evidence, not the prior: sampled text that rejects lookup's first proposal rejects its
    /// later ones too).
    /// </summary>
    public void Observe(ReadOnlySpan<double> acceptanceByPosition, int accepted)
    {
        _teaches?.Observe(acceptanceByPosition, accepted);
        var reached = Math.Min(Math.Min(accepted + 1, acceptanceByPosition.Length), Positions);
        for (var i = 0; i < Math.Min(accepted + 1, acceptanceByPosition.Length); i++)
        {
            var position = Math.Min(i, Positions - 1);
            if (_observed[position] == 0 && position > 0 && !_measuredPrior[position])
            {
                _conditional[position] = _conditional[position - 1];
            }
            var weight = Math.Max(_weightOfNew, 1 / (++_observed[position] + PriorWeight));
            _conditional[position] += weight * (acceptanceByPosition[i] - _conditional[position]);
        }
        for (var position = Math.Max(reached, 1); position < Positions; position++)
        {
            var before = _conditional[position - 1];
            _conditional[position] = _observed[position] == 0 && !_measuredPrior[position]
                ? before
                : _conditional[position] + (Reconsider * (before - _conditional[position]));
        }
    }
}
