namespace Momo.Engine.Sampling;

/// <summary>
/// Turns one position's logits into the exact distribution the request samples from. Order:
/// logit bias → presence/frequency penalties (over the completion so far) → greedy: one-hot at the argmax (ties to
/// the lowest id) / otherwise temperature → top-k → top-p → softmax → min-p (renormalised). Masked tokens get
/// probability exactly 0. Deterministic and reused across positions and tiers (scratch buffers are kept), so every
/// tier's distribution at a position comes from the same transform.
/// </summary>
public sealed class TokenDistribution(SamplingParameters parameters, int vocabulary)
{
    private readonly Dictionary<int, int> _counts = [];
    private int[] _order = [];

    /// <summary>The request's parameters.</summary>
    public SamplingParameters Parameters => parameters;

    /// <summary>Writes the distribution for <paramref name="logits"/> into <paramref name="probabilities"/>.</summary>
    /// <param name="logits">[vocabulary] raw logits of one position.</param>
    /// <param name="history">Completion tokens before this position (for the penalties).</param>
    /// <param name="probabilities">[vocabulary] output.</param>
    public void Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> history, Span<float> probabilities)
    {
        if (logits.Length < vocabulary || probabilities.Length < vocabulary)
        {
            throw new ArgumentException($"expected {vocabulary} logits");
        }
        var work = probabilities[..vocabulary];
        logits[..vocabulary].CopyTo(work);
        foreach (var (token, bias) in parameters.LogitBias)
        {
            work[token] += bias;
        }
        ApplyPenalties(work, history);
        if (parameters.IsGreedy)
        {
            var best = ArgMax(work);
            work.Clear();
            work[best] = 1;
            return;
        }
        var inverseTemperature = 1f / parameters.Temperature;
        for (var i = 0; i < work.Length; i++)
        {
            work[i] *= inverseTemperature;
        }
        if (parameters.TopK > 0 && parameters.TopK < vocabulary || parameters.TopP < 1)
        {
            TruncateSorted(work);
        }
        Softmax(work);
        if (parameters.MinP > 0)
        {
            ApplyMinP(work);
        }
    }

    private void ApplyPenalties(Span<float> work, ReadOnlySpan<int> history)
    {
        if (!parameters.HasPenalties || history.IsEmpty)
        {
            return;
        }
        _counts.Clear();
        foreach (var token in history)
        {
            _counts[token] = _counts.GetValueOrDefault(token) + 1;
        }
        foreach (var (token, count) in _counts)
        {
            work[token] -= parameters.PresencePenalty + (parameters.FrequencyPenalty * count);
        }
    }

    /// <summary>Top-k and top-p: keep the k best tokens, then the smallest prefix of them reaching mass p.</summary>
    private void TruncateSorted(Span<float> work)
    {
        if (_order.Length != work.Length)
        {
            _order = new int[work.Length];
        }
        for (var i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }
        var values = work.ToArray();
        // Descending by logit, ties by id: a total order, so the result never depends on the sort's stability.
        Array.Sort(_order, (a, b) => values[a] != values[b] ? values[b].CompareTo(values[a]) : a.CompareTo(b));
        var keep = parameters.TopK > 0 ? Math.Min(parameters.TopK, work.Length) : work.Length;
        if (parameters.TopP < 1)
        {
            keep = NucleusSize(values, keep);
        }
        for (var rank = keep; rank < _order.Length; rank++)
        {
            work[_order[rank]] = float.NegativeInfinity;
        }
    }

    private int NucleusSize(float[] values, int candidates)
    {
        var max = values[_order[0]];
        var total = 0.0;
        for (var rank = 0; rank < candidates; rank++)
        {
            total += Math.Exp(values[_order[rank]] - max);
        }
        var cumulative = 0.0;
        for (var rank = 0; rank < candidates; rank++)
        {
            cumulative += Math.Exp(values[_order[rank]] - max) / total;
            if (cumulative >= parameters.TopP)
            {
                return rank + 1;
            }
        }
        return candidates;
    }

    private void ApplyMinP(Span<float> work)
    {
        var threshold = parameters.MinP * work[ArgMax(work)];
        var total = 0f;
        for (var i = 0; i < work.Length; i++)
        {
            if (work[i] < threshold)
            {
                work[i] = 0;
            }
            total += work[i];
        }
        for (var i = 0; i < work.Length; i++)
        {
            work[i] /= total;
        }
    }

    private static void Softmax(Span<float> work)
    {
        var max = work[ArgMax(work)];
        var total = 0.0;
        for (var i = 0; i < work.Length; i++)
        {
            var e = float.IsNegativeInfinity(work[i]) ? 0 : Math.Exp(work[i] - max);
            work[i] = (float)e;
            total += e;
        }
        var inverse = (float)(1 / total);
        for (var i = 0; i < work.Length; i++)
        {
            work[i] *= inverse;
        }
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }
}
