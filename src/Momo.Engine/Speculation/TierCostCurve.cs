namespace Momo.Engine.Speculation;

/// <summary>A tier's measured cost of decoding a batch of k tokens (any unit, the same for all tiers).</summary>
public sealed class TierCostCurve
{
    private readonly double[] _costs;

    /// <summary>Creates a curve from costs for k = 1..n at index k − 1.</summary>
    public TierCostCurve(IReadOnlyList<double> costs)
    {
        if (costs.Count == 0 || costs.Any(c => !(c > 0)))
        {
            throw new ArgumentException("a cost curve needs positive costs for k = 1..n", nameof(costs));
        }
        _costs = [.. costs];
    }

    /// <summary>Cost of a batch of <paramref name="tokens"/> tokens; beyond the measured range, extrapolated linearly.</summary>
    public double Cost(int tokens)
    {
        if (tokens <= 0)
        {
            return 0;
        }
        if (tokens <= _costs.Length)
        {
            return _costs[tokens - 1];
        }
        var slope = _costs.Length > 1 ? Math.Max(0, _costs[^1] - _costs[^2]) : _costs[0];
        return _costs[^1] + (slope * (tokens - _costs.Length));
    }

    /// <summary>A curve where every batch of up to <paramref name="flatUpTo"/> tokens costs <paramref name="unit"/> (GPU-like).</summary>
    public static TierCostCurve Flat(double unit, int flatUpTo = 16) => new(Enumerable.Repeat(unit, flatUpTo).ToArray());
}
