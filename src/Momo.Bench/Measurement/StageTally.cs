namespace Momo.Bench.Measurement;

/// <summary>
/// Counts of one speculation stage's verifications (draft_to_qualifier, qualifier_to_target or draft_to_target).
/// <para>The analytic model assumes each proposal is accepted independently with probability α, so α is estimated by
/// maximum likelihood over the observed runs: accepted / (accepted + rejections), where a verification that accepted
/// fewer tokens than proposed ends in exactly one rejection. (accepted / proposed would understate α, because tokens
/// after a rejection are never tested.)</para>
/// </summary>
internal sealed class StageTally
{
    /// <summary>Most positions tracked (γ₂ may be up to 32).</summary>
    public const int MaxPositions = 32;

    /// <summary>Verifications.</summary>
    public long Verifications { get; private set; }

    /// <summary>Tokens proposed.</summary>
    public long Proposed { get; private set; }

    /// <summary>Tokens accepted.</summary>
    public long Accepted { get; private set; }

    /// <summary>Verifications that rejected a proposal.</summary>
    public long Rejections { get; private set; }

    private readonly long[] _acceptedAt = new long[MaxPositions]; // accepted tokens at each position of the run (0 = first)
    private readonly long[] _proposedLengths = new long[MaxPositions + 1];
    private readonly long[] _reachedAt = new long[MaxPositions]; // verifications that proposed position i and accepted all before it

    /// <summary>Verifications by the number of tokens they proposed ([k], k capped at <see cref="MaxPositions"/>).</summary>
    public IReadOnlyList<long> ProposedLengths => _proposedLengths;

    /// <summary>Records one verification.</summary>
    public void Add(int proposed, int accepted)
    {
        Verifications++;
        _proposedLengths[Math.Clamp(proposed, 0, MaxPositions)]++;
        Proposed += proposed;
        Accepted += accepted;
        if (accepted < proposed)
        {
            Rejections++;
        }
        for (var i = 0; i < Math.Min(accepted, MaxPositions); i++)
        {
            _acceptedAt[i]++;
        }
        for (var i = 0; i < Math.Min(Math.Min(accepted + 1, proposed), MaxPositions); i++)
        {
            _reachedAt[i]++;
        }
    }

    /// <summary>Per-token acceptance probability α (maximum likelihood under independent acceptance); 0 with no data.</summary>
    public double Alpha => Accepted + Rejections == 0 ? 0 : (double)Accepted / (Accepted + Rejections);

    /// <summary>Accepted / proposed, the figure vLLM and llama.cpp print.</summary>
    public double AcceptanceRate => Proposed == 0 ? 0 : (double)Accepted / Proposed;

    /// <summary>Mean proposal length per verification.</summary>
    public double MeanProposed => Verifications == 0 ? 0 : (double)Proposed / Verifications;

    /// <summary>
    /// a[i] = P(position i accepted | positions before it accepted), for the positions some verification tested (the
    /// maximum-likelihood estimate where acceptance depends on the position); empty with no data.
    /// </summary>
    public double[] ConditionalByPosition()
    {
        var tested = Array.FindLastIndex(_reachedAt, r => r > 0) + 1;
        return Enumerable.Range(0, tested).Select(i => _reachedAt[i] == 0 ? 0 : (double)_acceptedAt[i] / _reachedAt[i]).ToArray();
    }

    /// <summary>Fraction of verifications that accepted position i (vLLM's per-position acceptance).</summary>
    public double[] AcceptanceByPosition(int positions) =>
        Enumerable.Range(0, positions).Select(i => Verifications == 0 ? 0 : (double)_acceptedAt[i] / Verifications).ToArray();
}
