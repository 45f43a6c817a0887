namespace Momo.Engine.Speculation;

/// <summary>A tier's measured cost of decoding a batch of k tokens (any unit, the same for all tiers).</summary>
public sealed class TierCostCurve
{
    private readonly double[] _costs;
    private readonly double _slope; // cost per token past the measured range
    private bool _learns;

    /// <summary>Weight of one timed decode in <see cref="Observe"/>: about the last 20 decodes of a size count.</summary>
    public const double LearningRate = 0.05;

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
    /// at one short context, while the decodes of the running engine are the costs the planner weighs.
    /// </summary>
    public static TierCostCurve Measured(IReadOnlyList<double> seconds) => new(seconds) { _learns = true };

    /// <summary>
    /// Folds the <paramref name="seconds"/> one decode of <paramref name="tokens"/> tokens took into the curve (a curve
    /// in seconds from <see cref="Measured"/> only; others keep their units and ignore it). Sizes past the measured
    /// range, such as prompt chunks, keep the extrapolation.
    /// </summary>
    public void Observe(int tokens, double seconds)
    {
        if (_learns && tokens >= 1 && tokens <= _costs.Length && seconds > 0)
        {
            _costs[tokens - 1] += LearningRate * (seconds - _costs[tokens - 1]);
        }
    }

    /// <summary>A curve where every batch of up to <paramref name="flatUpTo"/> tokens costs <paramref name="unit"/> (GPU-like).</summary>
    public static TierCostCurve Flat(double unit, int flatUpTo = 16) => new(Enumerable.Repeat(unit, flatUpTo).ToArray());
}
