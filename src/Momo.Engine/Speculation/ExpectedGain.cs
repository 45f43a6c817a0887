namespace Momo.Engine.Speculation;

/// <summary>Expected tokens per verification of γ proposals when each is accepted with probability α.</summary>
public static class ExpectedGain
{
    /// <summary>(1 − α^(γ+1)) / (1 − α): accepted proposals plus the recovered or bonus token (γ + 1 as α → 1).</summary>
    public static double TokensPerVerify(double alpha, int gamma)
    {
        alpha = Math.Clamp(alpha, 0, 1);
        return alpha >= 1 - 1e-9 ? gamma + 1 : (1 - Math.Pow(alpha, gamma + 1)) / (1 - alpha);
    }
}
