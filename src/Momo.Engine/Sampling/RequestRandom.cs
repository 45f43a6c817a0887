namespace Momo.Engine.Sampling;

/// <summary>
/// A request's own random stream (SplitMix64): the same seed gives the same draws on every machine and .NET version,
/// and no request's draws depend on another's.
/// </summary>
internal sealed class RequestRandom
{
    private ulong _state;

    /// <summary>Seeds the stream; a null seed draws one at random.</summary>
    public RequestRandom(ulong? seed) => _state = seed ?? (ulong)Random.Shared.NextInt64();

    /// <summary>A uniform draw in [0, 1).</summary>
    public double NextUniform() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Samples an index from a probability row by inverse CDF (rows summing to 1 within float error).</summary>
    public int SampleFrom(ReadOnlySpan<float> probabilities)
    {
        var total = 0.0;
        foreach (var p in probabilities)
        {
            total += p;
        }
        var u = NextUniform() * total;
        var cumulative = 0.0;
        var last = -1;
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (probabilities[i] <= 0)
            {
                continue;
            }
            cumulative += probabilities[i];
            last = i;
            if (u < cumulative)
            {
                return i;
            }
        }
        // Rounding left u at the very top: the last token with mass.
        return last >= 0 ? last : throw new ArgumentException("the distribution has no mass", nameof(probabilities));
    }

    private ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
