namespace Momo.Engine.Speculation;

/// <summary>A tier's measured cost of decoding a batch of k tokens (any unit, the same for all tiers).</summary>
public sealed class TierCostCurve
{
    private double[] _costs; // [k − 1] what Cost reads: nondecreasing once learnt
    private double[]? _learnt; // [k − 1] the learnt costs as observed (a curve from Measured only)
    private bool[]? _known; // [k − 1] measured at start or observed since; the others are interpolated
    private readonly double _slope; // cost per token past the last known size

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
        var sizes = Math.Max(MaxLearntTokens, seconds.Count);
        curve._learnt = Enumerable.Range(1, sizes).Select(curve.Cost).ToArray();
        curve._known = Enumerable.Range(1, sizes).Select(k => k <= seconds.Count).ToArray();
        curve._costs = [.. curve._learnt];
        return curve;
    }

    /// <summary>
    /// Folds the <paramref name="seconds"/> one decode of <paramref name="tokens"/> tokens took into the curve (a curve
    /// in seconds from <see cref="Measured"/> only; others keep their units and ignore it). A size never timed is
    /// interpolated between the nearest known sizes around it, or past the last one extended with the calibration's
    /// slope, so it moves with what was learnt next to it. What <see cref="Cost"/> reads stays nondecreasing in k (a
    /// running maximum), so single noisy timings never make a larger batch look cheaper than a smaller one.
    /// </summary>
    public void Observe(int tokens, double seconds)
    {
        if (_learnt is null || _known is null || tokens < 1 || tokens > _learnt.Length || !(seconds > 0))
        {
            return;
        }
        var index = tokens - 1;
        _learnt[index] = _known[index] ? _learnt[index] + (LearningRate * (seconds - _learnt[index])) : seconds;
        _known[index] = true;
        Rebuild();
    }

    /// <summary>Interpolates the sizes never timed and takes the running maximum (a few hundred steps per decode).</summary>
    private void Rebuild()
    {
        var previous = 0; // the last known index; index 0 is always known (calibrated)
        for (var k = 1; k < _learnt!.Length; k++)
        {
            if (!_known![k])
            {
                continue;
            }
            for (var gap = previous + 1; gap < k; gap++)
            {
                _learnt[gap] = _learnt[previous] + ((_learnt[k] - _learnt[previous]) * (gap - previous) / (k - previous));
            }
            previous = k;
        }
        for (var tail = previous + 1; tail < _learnt.Length; tail++)
        {
            _learnt[tail] = _learnt[previous] + (_slope * (tail - previous));
        }
        _costs[0] = _learnt[0];
        for (var k = 1; k < _learnt.Length; k++)
        {
            _costs[k] = Math.Max(_learnt[k], _costs[k - 1]);
        }
    }

    /// <summary>A curve where every batch of up to <paramref name="flatUpTo"/> tokens costs <paramref name="unit"/> (GPU-like).</summary>
    public static TierCostCurve Flat(double unit, int flatUpTo = 16) => new(Enumerable.Repeat(unit, flatUpTo).ToArray());
}
