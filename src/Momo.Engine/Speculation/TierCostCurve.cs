namespace Momo.Engine.Speculation;

/// <summary>A tier's measured cost of decoding a batch of k tokens (any unit, the same for all tiers).</summary>
public sealed class TierCostCurve
{
    private double[] _costs; // [k − 1] what Cost reads: nondecreasing once learnt
    private double[]? _learnt; // [k − 1] the learnt costs as observed (a curve from Measured only)
    private readonly double _slope; // cost per token past the array

    /// <summary>Weight of one timed decode in <see cref="Observe"/>: about the last 20 decodes of a size count.</summary>
    public const double LearningRate = 0.05;

    /// <summary>
    /// Largest batch a measured curve learns from timed decodes. The calibration measures up to 16 tokens; a busy batch
    /// verifies far more rows in one decode, and those sizes start from the extrapolation and are then learnt.
    /// </summary>
    public const int MaxLearntTokens = 256;

    /// <summary>Creates a curve from costs for k = 1..n at index k − 1.</summary>
    public TierCostCurve(IReadOnlyList<double> costs)
    {
        if (costs.Count == 0 || costs.Any(c => !(c > 0)))
        {
            throw new ArgumentException("a cost curve needs positive costs for k = 1..n", nameof(costs));
        }
        _costs = [.. costs];
        var middle = _costs.Length / 2;
        _slope = _costs.Length > 1 ? Math.Max(0, (_costs[^1] - _costs[middle - 1]) / (_costs.Length - middle)) : _costs[0];
    }

    /// <summary>
    /// Cost of a batch of <paramref name="tokens"/> tokens; beyond the measured range, extrapolated linearly with the
    /// slope of the curve's upper half. (The slope of the last two points alone was noise: a last point measured a
    /// little low made every row past it free, and <c>auto</c> then speculated without limit in a busy batch.)
    /// </summary>
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
        return _costs[^1] + (_slope * (tokens - _costs.Length));
    }

    /// <summary>
    /// A curve in seconds, measured at start (<see cref="Runtime.TierCostCalibration"/>), that every timed decode then
    /// refines (<see cref="Observe"/>): a calibration takes medians of a few decodes on a machine whose timings swing,
    /// at one short context and one sequence, while the decodes of the running engine are the costs the planner weighs.
    /// </summary>
    public static TierCostCurve Measured(IReadOnlyList<double> seconds)
    {
        var curve = new TierCostCurve(seconds);
        curve._learnt = Enumerable.Range(1, Math.Max(MaxLearntTokens, seconds.Count)).Select(curve.Cost).ToArray();
        curve._costs = [.. curve._learnt];
        return curve;
    }

    /// <summary>
    /// Folds the <paramref name="seconds"/> one decode of <paramref name="tokens"/> tokens took into the curve (a curve
    /// in seconds from <see cref="Measured"/> only; others keep their units and ignore it). What <see cref="Cost"/>
    /// reads stays nondecreasing in k (a running maximum of the learnt costs), so single noisy timings never make a
    /// larger batch look cheaper than a smaller one.
    /// </summary>
    public void Observe(int tokens, double seconds)
    {
        if (_learnt is null || tokens < 1 || tokens > _learnt.Length || !(seconds > 0))
        {
            return;
        }
        _learnt[tokens - 1] += LearningRate * (seconds - _learnt[tokens - 1]);
        _costs[0] = _learnt[0];
        for (var k = 1; k < _learnt.Length; k++) // 256 comparisons per decode: nothing next to the decode
        {
            _costs[k] = Math.Max(_learnt[k], _costs[k - 1]);
        }
    }

    /// <summary>A curve where every batch of up to <paramref name="flatUpTo"/> tokens costs <paramref name="unit"/> (GPU-like).</summary>
    public static TierCostCurve Flat(double unit, int flatUpTo = 16) => new(Enumerable.Repeat(unit, flatUpTo).ToArray());
}
