namespace Momo.Engine.Speculation;

/// <summary>
/// How a pair of tiers accepts a run of proposals, position by position: a[i] = P(proposal i accepted | proposals
/// 0..i−1 accepted). The textbook model (Leviathan et al.) has one α at every position; measured acceptance is often
/// not like that (a forged family here accepts the first draft at 0.84 and the second, after an accepted first, at
/// 0.32), and the draft length that maximises tokens per unit of cost differs a lot between the two models.
/// </summary>
public readonly struct AcceptanceProfile
{
    private readonly double[]? _conditional; // [position] a[i]; past the end, the last one holds
    private readonly double _alpha;

    private AcceptanceProfile(double[]? conditional, double alpha)
    {
        _conditional = conditional;
        _alpha = alpha;
    }

    /// <summary>The same α at every position.</summary>
    public static AcceptanceProfile Uniform(double alpha) => new(null, Math.Clamp(alpha, 0, 1));

    /// <summary>One conditional acceptance per position (not copied: the caller keeps it unchanged while it plans with it).</summary>
    public static AcceptanceProfile ByPosition(double[] conditional) =>
        conditional.Length == 0 ? throw new ArgumentException("a profile needs at least one position", nameof(conditional)) : new(conditional, 0);

    /// <summary>An α at every position: every caller that knows one rate only.</summary>
    public static implicit operator AcceptanceProfile(double alpha) => Uniform(alpha);

    /// <summary>a[i]: the chance proposal <paramref name="position"/> is accepted when all before it were.</summary>
    public double At(int position) =>
        _conditional is null ? _alpha : Math.Clamp(_conditional[Math.Min(position, _conditional.Length - 1)], 0, 1);

    /// <summary>
    /// Expected tokens one verification of γ proposals commits: the accepted ones plus the recovered or bonus token,
    /// 1 + Σ_{k=1..γ} Π_{i&lt;k} a[i]; with one α this is (1 − α^(γ+1)) / (1 − α) (<see cref="ExpectedGain"/>).
    /// </summary>
    public double TokensPerVerify(int gamma)
    {
        if (_conditional is null)
        {
            return ExpectedGain.TokensPerVerify(_alpha, gamma);
        }
        double tokens = 1, reached = 1;
        for (var i = 0; i < gamma; i++)
        {
            reached *= At(i);
            tokens += reached;
        }
        return tokens;
    }
}
