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

    /// <summary>Records one verification.</summary>
    public void Add(int proposed, int accepted)
    {
        Verifications++;
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
    }

    /// <summary>Per-token acceptance probability α (maximum likelihood under independent acceptance); 0 with no data.</summary>
    public double Alpha => Accepted + Rejections == 0 ? 0 : (double)Accepted / (Accepted + Rejections);

    /// <summary>Accepted / proposed, the figure vLLM and llama.cpp print.</summary>
    public double AcceptanceRate => Proposed == 0 ? 0 : (double)Accepted / Proposed;

    /// <summary>Mean proposal length per verification.</summary>
    public double MeanProposed => Verifications == 0 ? 0 : (double)Proposed / Verifications;

    /// <summary>Fraction of verifications that accepted position i (vLLM's per-position acceptance).</summary>
    public double[] AcceptanceByPosition(int positions) =>
        Enumerable.Range(0, positions).Select(i => Verifications == 0 ? 0 : (double)AcceptedAt[i] / Verifications).ToArray();
}
