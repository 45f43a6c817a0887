using Momo.Engine.Sampling;

namespace Momo.Engine.Tests.Sampling;

/// <summary>A request's random stream repeats under its seed and samples what the row says.</summary>
public sealed class RequestRandomTests
{
    [Fact]
    public void Seeded_sampling_repeats_and_follows_the_distribution()
    {
        float[] row = [0.1f, 0.6f, 0.3f];
        var a = new RequestRandom(5);
        var b = new RequestRandom(5);
        var draws = Enumerable.Range(0, 30_000).Select(_ => a.SampleFrom(row)).ToArray();
        Assert.Equal(draws.Take(100), Enumerable.Range(0, 100).Select(_ => b.SampleFrom(row)));
        Assert.Equal(0.6, draws.Count(d => d == 1) / 30_000.0, 2);
        Assert.DoesNotContain(draws, d => d > 2);
    }
}
