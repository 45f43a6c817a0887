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

    /// <summary>Accepted tokens at each position of the proposal run (0 = first).</summary>
    public long[] AcceptedAt { get; } = new long[MaxPositions];

    /// <summary>Verifications by the number of tokens they proposed ([k], k capped at <see cref="MaxPositions"/>).</summary>
    public long[] ProposedLengths { get; } = new long[MaxPositions + 1];

    /// <summary>Verifications that tested position i, that is proposed it and accepted every position before it.</summary>
    public long[] ReachedAt { get; } = new long[MaxPositions];

    /// <summary>Records one verification.</summary>
    public void Add(int proposed, int accepted)
    {
        Verifications++;
        ProposedLengths[Math.Clamp(proposed, 0, MaxPositions)]++;
        Proposed += proposed;
        Accepted += accepted;
        if (accepted < proposed)
        {
            Rejections++;
        }
        for (var i = 0; i < Math.Min(accepted, MaxPositions); i++)
        {
            AcceptedAt[i]++;
        }
        for (var i = 0; i < Math.Min(Math.Min(accepted + 1, proposed), MaxPositions); i++)
        {
            ReachedAt[i]++;
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
        var tested = Array.FindLastIndex(ReachedAt, r => r > 0) + 1;
        return Enumerable.Range(0, tested).Select(i => ReachedAt[i] == 0 ? 0 : (double)AcceptedAt[i] / ReachedAt[i]).ToArray();
    }

    /// <summary>Fraction of verifications that accepted position i (vLLM's per-position acceptance).</summary>
    public double[] AcceptanceByPosition(int positions) =>
        Enumerable.Range(0, positions).Select(i => Verifications == 0 ? 0 : (double)AcceptedAt[i] / Verifications).ToArray();
}
