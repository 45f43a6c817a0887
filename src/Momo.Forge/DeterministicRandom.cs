namespace Momo.Forge;

/// <summary>SplitMix64 with Box–Muller normals. Hand-rolled rather than System.Random so that the forged bytes stay
/// identical across .NET versions; each tensor gets its own stream keyed by (seed, tensor name) so that the tiers'
/// shared blocks are identical whatever order they are generated in.</summary>
internal sealed class DeterministicRandom(ulong seed)
{
    private ulong _state = seed;

    public static DeterministicRandom For(int seed, string name)
    {
        var h = 14695981039346656037UL; // FNV-1a of the name, mixed with the seed
        foreach (var ch in name)
        {
            h = (h ^ ch) * 1099511628211UL;
        }

        return new DeterministicRandom(h ^ ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL));
    }

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in (0, 1].</summary>
    public double NextDouble() => ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));

    public float NextGaussian() => (float)(Math.Sqrt(-2 * Math.Log(NextDouble())) * Math.Cos(2 * Math.PI * NextDouble()));

    public float[] Gaussian(int count, float std)
    {
        var a = new float[count];
        for (var i = 0; i < count; i++)
        {
            a[i] = NextGaussian() * std;
        }

        return a;
    }
}
