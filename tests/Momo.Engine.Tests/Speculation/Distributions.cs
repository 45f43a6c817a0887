namespace Momo.Engine.Tests.Speculation;

/// <summary>Seeded random distributions and the goodness-of-fit statistic the exactness tests use.</summary>
internal static class Distributions
{
    /// <summary>A random probability row of <paramref name="size"/> entries, peaked enough to look like a language model's.</summary>
    public static float[] Random(Random random, int size)
    {
        var row = new float[size];
        var total = 0.0;
        for (var i = 0; i < size; i++)
        {
            var value = Math.Exp(2.0 * Gaussian(random));
            row[i] = (float)value;
            total += value;
        }
        for (var i = 0; i < size; i++)
        {
            row[i] = (float)(row[i] / total);
        }
        return row;
    }

    /// <summary>A one-hot row.</summary>
    public static float[] OneHot(int size, int at)
    {
        var row = new float[size];
        row[at] = 1;
        return row;
    }

    /// <summary>Pearson's chi-square of observed counts against expected probabilities (cells with tiny expectation pooled).</summary>
    public static double ChiSquare(int[] counts, IReadOnlyList<double> expected)
    {
        var n = counts.Sum();
        double chi = 0, pooledObserved = 0, pooledExpected = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            var e = expected[i] * n;
            if (e < 5)
            {
                pooledObserved += counts[i];
                pooledExpected += e;
                continue;
            }
            chi += (counts[i] - e) * (counts[i] - e) / e;
        }
        if (pooledExpected > 0)
        {
            chi += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected;
        }
        return chi;
    }

    /// <summary>Concatenates rows into a flat [rows, vocabulary] array.</summary>
    public static float[] Rows(params float[][] rows) => rows.SelectMany(r => r).ToArray();

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
