using System.Numerics;
using System.Numerics.Tensors;

namespace Momo.Engine.Sampling;

/// <summary>
/// Turns one position's logits into the exact distribution a request samples from. Every tier's
/// logits go through the same instance, so draft, qualifier and target distributions differ only
/// by their models: the speculative acceptance tests are then exact for the request's settings.
/// </summary>
/// <remarks>
/// Order of transforms (fixed; documented because it changes results):
/// <list type="number">
/// <item>the grammar mask, if any, sets every token it does not allow to −∞ (so each later step sees only allowed
/// tokens, and greedy picks the argmax among them);</item>
/// <item>logit bias is added;</item>
/// <item>presence and frequency penalties are subtracted for tokens in the completion so far;</item>
/// <item>greedy (temperature 0) stops here with a one-hot at the argmax, ties to the lowest id;</item>
/// <item>logits are divided by the temperature;</item>
/// <item>top-k keeps the k largest logits (ties to the lowest id);</item>
/// <item>top-p keeps the smallest most-likely set of the renormalised survivors reaching mass p;</item>
/// <item>min-p drops survivors below min_p times the largest survivor probability;</item>
/// <item>softmax over the survivors; every other token is exactly 0.</item>
/// </list>
/// Not thread-safe: it reuses scratch buffers so that the per-position, per-tier work allocates nothing.
/// </remarks>
internal sealed class TokenDistribution
{
    // Top-p buckets: float bits >> 16 keeps the exponent and 7 mantissa bits, 16,258 buckets up to 1.0.
    private const int BucketShift = 16;
    private const int BucketCount = (0x3F800000 >> BucketShift) + 2;

    private readonly SamplingParameters _parameters;
    private readonly int _vocab;
    private readonly int[] _heap;    // [top_k] ids of the k best logits
    private readonly ulong[] _keys;  // [vocab] top-p sort keys: (descending probability, ascending id)
    private readonly double[] _bucketMass; // [BucketCount] top-p mass per float-bits bucket
    private readonly int[] _counts;  // [vocab] occurrences in the completion; all zero between calls

    /// <summary>Creates the transform for one request over a vocabulary of <paramref name="vocab"/> tokens.</summary>
    public TokenDistribution(SamplingParameters parameters, int vocab)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocab, 1);
        parameters.Validate(vocab);
        _parameters = parameters;
        _vocab = vocab;
        _heap = new int[Math.Min(parameters.TopK, vocab)];
        _keys = parameters.TopP < 1f ? new ulong[vocab] : [];
        _bucketMass = parameters.TopP < 1f ? new double[BucketCount] : [];
        _counts = parameters.HasPenalties ? new int[vocab] : [];
    }

    /// <summary>
    /// Writes the distribution at one position into <paramref name="probabilities"/> (length vocab).
    /// <paramref name="generatedSoFar"/> holds the completion's tokens before this position, drafted
    /// ones included, so that every tier sees the same penalties at the same position. <paramref name="allowed"/> is the
    /// grammar's mask at this position (bit t: token t allowed), empty when the output is free.
    /// </summary>
    public void Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> generatedSoFar, Span<float> probabilities, ReadOnlySpan<ulong> allowed = default)
    {
        if (logits.Length != _vocab || probabilities.Length != _vocab)
        {
            throw new ArgumentException($"Logits and probabilities must both hold {_vocab} entries.");
        }

        // The output row doubles as the working buffer: no vocab-sized copy per call.
        logits.CopyTo(probabilities);
        if (!allowed.IsEmpty)
        {
            ApplyMask(allowed, probabilities);
        }
        foreach (var (id, bias) in _parameters.LogitBias)
        {
            probabilities[id] += bias;
        }

        ApplyPenalties(generatedSoFar, probabilities);
        if (_parameters.IsGreedy)
        {
            WriteOneHot(probabilities, Argmax(probabilities));
            return;
        }

        TensorPrimitives.Multiply(probabilities, 1f / _parameters.Temperature, probabilities);

        if (_parameters.TopK > 0 && _parameters.TopK < _vocab)
        {
            TopKSelection.Keep(probabilities, _heap);
        }

        SoftmaxInPlace(probabilities);
        if (_parameters.TopP < 1f)
        {
            KeepTopP(probabilities, _parameters.TopP);
        }

        if (_parameters.MinP > 0f)
        {
            KeepMinP(probabilities, _parameters.MinP);
        }
    }

    /// <summary>
    /// Disallowed tokens get −∞, a 64-token word at a time (whole words allowed or banned are the common case). A row in
    /// which every allowed token is already −∞ (a smaller tier lacking those ids) becomes uniform over the allowed tokens
    /// instead of NaN: any proposal distribution keeps speculation exact, since the verifier corrects it, and the
    /// target's own logits are finite.
    /// </summary>
    private static void ApplyMask(ReadOnlySpan<ulong> allowed, Span<float> logits)
    {
        for (var w = 0; w < allowed.Length; w++)
        {
            var word = allowed[w];
            if (word == ulong.MaxValue)
            {
                continue;
            }
            var start = w << 6;
            var length = Math.Min(64, logits.Length - start);
            if (word == 0)
            {
                logits.Slice(start, length).Fill(float.NegativeInfinity);
                continue;
            }
            for (var banned = ~word; banned != 0; banned &= banned - 1)
            {
                var i = BitOperations.TrailingZeroCount(banned);
                if (i < length)
                {
                    logits[start + i] = float.NegativeInfinity;
                }
            }
        }
        if (TensorPrimitives.Max(logits) == float.NegativeInfinity)
        {
            for (var token = 0; token < logits.Length; token++)
            {
                logits[token] = (allowed[token >> 6] & (1UL << (token & 63))) != 0 ? 0f : float.NegativeInfinity;
            }
        }
    }

    private void ApplyPenalties(ReadOnlySpan<int> generatedSoFar, Span<float> logits)
    {
        if (!_parameters.HasPenalties)
        {
            return;
        }

        foreach (var token in generatedSoFar)
        {
            _counts[token]++;
        }

        // The second pass applies each distinct token once and clears its count, which keeps the
        // scratch all-zero for the next call without touching the whole vocabulary.
        foreach (var token in generatedSoFar)
        {
            var count = _counts[token];
            if (count == 0)
            {
                continue;
            }

            logits[token] -= (count * _parameters.FrequencyPenalty) + _parameters.PresencePenalty;
            _counts[token] = 0;
        }
    }

    private void KeepTopP(Span<float> probabilities, float topP)
    {
        // Sorting all of a 150k vocabulary costs ~20 ms per row. Bucketing by the high bits of the
        // float (positive floats order like their bits) finds, in one pass, the bucket where the
        // cumulative mass from the top crosses top_p: higher buckets are kept whole, lower ones
        // dropped, and only the crossing bucket's few tokens are sorted exactly.
        var buckets = _bucketMass.AsSpan();
        buckets.Clear();
        foreach (var p in probabilities)
        {
            if (p > 0f)
            {
                buckets[Bucket(p)] += p;
            }
        }

        var (crossing, above) = CrossingBucket(buckets, topP);
        var count = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (probabilities[i] > 0f && Bucket(probabilities[i]) == crossing)
            {
                _keys[count++] = SortKey(probabilities[i], i);
            }
        }

        // Primitive keys sort fast and make the order total, so ties at the cut go to the lowest id.
        var candidates = _keys.AsSpan(0, count);
        candidates.Sort();
        var kept = above;
        var last = 0;
        while (last < count - 1 && kept + probabilities[(int)(uint)candidates[last]] < topP)
        {
            kept += probabilities[(int)(uint)candidates[last++]];
        }

        var cut = candidates[last];
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = probabilities[i];
            if (p > 0f && (Bucket(p) < crossing || (Bucket(p) == crossing && SortKey(p, i) > cut)))
            {
                probabilities[i] = 0f;
            }
        }

        Normalize(probabilities);
    }

    /// <summary>The highest bucket at which the mass from the top reaches top_p, and the mass above it.</summary>
    private static (int Bucket, double MassAbove) CrossingBucket(ReadOnlySpan<double> buckets, float topP)
    {
        double above = 0;
        var lowestNonEmpty = buckets.Length - 1;
        for (var b = buckets.Length - 1; b >= 0; b--)
        {
            if (buckets[b] == 0)
            {
                continue;
            }

            if (above + buckets[b] >= topP)
            {
                return (b, above);
            }

            above += buckets[b];
            lowestNonEmpty = b;
        }

        // Rounding left the total just under top_p: everything is kept, the lowest bucket last.
        return (lowestNonEmpty, above - buckets[lowestNonEmpty]);
    }

    private static int Bucket(float probability) =>
        Math.Min(BitConverter.SingleToInt32Bits(probability) >> BucketShift, BucketCount - 1);

    /// <summary>
    /// Positive floats order like their bit patterns, so (max bits − bits, id) packed into one
    /// ulong sorts ascending as (probability descending, id ascending).
    /// </summary>
    private static ulong SortKey(float probability, int id) =>
        ((ulong)(uint)(int.MaxValue - BitConverter.SingleToInt32Bits(probability)) << 32) | (uint)id;

    private static void KeepMinP(Span<float> probabilities, float minP)
    {
        var floor = minP * probabilities[Argmax(probabilities)];
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (probabilities[i] < floor)
            {
                probabilities[i] = 0f;
            }
        }

        Normalize(probabilities);
    }

    // Vectorised: at 150k tokens a scalar MathF.Exp loop cost ~0.6 ms per row, as much as a GPU target decode.
    private static void SoftmaxInPlace(Span<float> values)
    {
        TensorPrimitives.Subtract(values, TensorPrimitives.Max(values), values);
        TensorPrimitives.Exp(values, values); // tokens masked to -inf become exactly 0
        Scale(values, TensorPrimitives.Sum(values));
    }

    private static void Normalize(Span<float> values) => Scale(values, TensorPrimitives.Sum(values));

    private static void Scale(Span<float> values, float sum) => TensorPrimitives.Multiply(values, 1f / sum, values);

    /// <summary>Index of the largest value, ties to the lowest index.</summary>
    internal static int Argmax(ReadOnlySpan<float> values)
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

    private static void WriteOneHot(Span<float> row, int token)
    {
        row.Clear();
        row[token] = 1f;
    }
}
