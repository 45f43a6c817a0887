using Momo.Engine.Sampling;

namespace Momo.Engine.Tests.Sampling;

/// <summary>Each sampling transform does what OpenAI's parameter says, exactly, on small and large vocabularies.</summary>
public sealed class TokenDistributionTests
{
    // Logits of the probabilities [0.5, 0.3, 0.15, 0.05] at temperature 1.
    private static readonly float[] Quarter = [MathF.Log(0.5f), MathF.Log(0.3f), MathF.Log(0.15f), MathF.Log(0.05f)];

    [Fact]
    public void Temperature_one_with_no_filters_is_the_softmax()
    {
        var probabilities = Compute(new SamplingParameters(), Quarter);
        Assert.Equal([0.5f, 0.3f, 0.15f, 0.05f], probabilities, Close);
    }

    [Fact]
    public void Temperature_divides_the_logits_before_the_softmax()
    {
        var probabilities = Compute(new SamplingParameters { Temperature = 0.5f }, [1f, 2f, 3f]);
        var expected = Softmax([2.0, 4.0, 6.0]);
        Assert.Equal(expected, probabilities, Close);
    }

    [Fact]
    public void Top_k_keeps_the_k_largest_and_breaks_ties_toward_the_lowest_id()
    {
        var probabilities = Compute(new SamplingParameters { TopK = 2 }, [1f, 3f, 3f, 3f, 0f]);
        Assert.Equal([0f, 0.5f, 0.5f, 0f, 0f], probabilities, Close);
    }

    [Fact]
    public void Top_p_keeps_the_smallest_most_likely_set_reaching_the_mass_and_renormalises()
    {
        var probabilities = Compute(new SamplingParameters { TopP = 0.75f }, Quarter);
        Assert.Equal([0.625f, 0.375f, 0f, 0f], probabilities, Close);
    }

    [Theory]
    [InlineData(20.0)] // peaked: a small prefix holds the nucleus, sorted path
    [InlineData(0.5)]  // flat: the nucleus is most of the vocabulary, bisection path
    public void Top_p_on_a_large_vocabulary_matches_a_full_sort(double logitScale)
    {
        var rng = new Random(12);
        var logits = Enumerable.Range(0, 20_000).Select(_ => (float)(rng.NextDouble() * logitScale)).ToArray();
        var plain = Compute(new SamplingParameters(), logits);

        var nucleus = Compute(new SamplingParameters { TopP = 0.9f }, logits);

        var order = Enumerable.Range(0, plain.Length).OrderByDescending(i => plain[i]).ThenBy(i => i).ToArray();
        double mass = 0;
        var expectedKept = order.TakeWhile(i => (mass += plain[i]) - plain[i] < 0.9).ToHashSet();
        var kept = Enumerable.Range(0, nucleus.Length).Where(i => nucleus[i] > 0).ToHashSet();
        Assert.True(expectedKept.SetEquals(kept), $"expected {expectedKept.Count} kept, got {kept.Count}");
    }

    [Fact]
    public void Min_p_drops_tokens_below_a_fraction_of_the_most_likely()
    {
        var probabilities = Compute(new SamplingParameters { MinP = 0.25f }, Quarter);
        Assert.Equal([0.5f / 0.95f, 0.3f / 0.95f, 0.15f / 0.95f, 0f], probabilities, Close);
    }

    [Fact]
    public void Logit_bias_of_minus_100_effectively_bans_a_token_and_a_positive_bias_promotes_one()
    {
        var bias = new Dictionary<int, float> { [0] = -100f, [3] = 10f };
        var probabilities = Compute(new SamplingParameters { LogitBias = bias }, Quarter);
        var greedy = Compute(new SamplingParameters { Temperature = 0f, LogitBias = bias }, Quarter);

        Assert.True(probabilities[0] < 1e-30f);
        Assert.Equal([0f, 0f, 0f, 1f], greedy);
    }

    [Fact]
    public void Frequency_and_presence_penalties_lower_generated_tokens_by_count_and_once()
    {
        var parameters = new SamplingParameters { FrequencyPenalty = 0.5f, PresencePenalty = 0.25f };
        var distribution = new TokenDistribution(parameters, 3);
        var probabilities = new float[3];

        distribution.Compute([0f, 0f, 0f], [2, 2, 1], probabilities);

        // Token 2: 2 × 0.5 + 0.25; token 1: 0.5 + 0.25; token 0 untouched.
        Assert.Equal(Softmax([0.0, -0.75, -1.25]), probabilities, Close);
    }

    [Fact]
    public void Penalties_do_not_leak_from_one_call_into_the_next()
    {
        var distribution = new TokenDistribution(new SamplingParameters { FrequencyPenalty = 1f }, 3);
        var probabilities = new float[3];
        distribution.Compute([0f, 0f, 0f], [1, 1], probabilities);

        distribution.Compute([0f, 0f, 0f], [], probabilities);

        Assert.Equal([1 / 3f, 1 / 3f, 1 / 3f], probabilities, Close);
    }

    [Fact]
    public void Greedy_is_one_hot_at_the_argmax_with_ties_to_the_lowest_id()
    {
        var probabilities = Compute(SamplingParameters.Greedy, [0.5f, 2f, -1f, 2f]);
        Assert.Equal([0f, 1f, 0f, 0f], probabilities);
        Assert.True(SamplingParameters.Greedy.IsGreedy);
    }

    [Fact]
    public void The_same_logits_give_bit_identical_distributions_with_every_transform_on()
    {
        var rng = new Random(8);
        var logits = Enumerable.Range(0, 5000).Select(_ => (float)(rng.NextDouble() * 10)).ToArray();
        var parameters = new SamplingParameters
        {
            Temperature = 0.8f, TopK = 400, TopP = 0.9f, MinP = 0.01f, FrequencyPenalty = 0.3f, PresencePenalty = 0.2f,
            LogitBias = new Dictionary<int, float> { [7] = 5f },
        };
        int[] generated = [7, 7, 42];

        var first = Compute(parameters, logits, generated);
        var second = Compute(parameters, logits, generated);

        Assert.Equal(first, second);
        Assert.Equal(1.0, first.Sum(p => (double)p), 1e-5);
        Assert.InRange(first.Count(p => p > 0), 1, 400);
    }

    [Fact]
    public void Out_of_range_settings_are_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => new TokenDistribution(new SamplingParameters { TopP = 0f }, 4));
        Assert.ThrowsAny<ArgumentException>(() => new TokenDistribution(new SamplingParameters { Temperature = -1f }, 4));
        Assert.ThrowsAny<ArgumentException>(() =>
            new TokenDistribution(new SamplingParameters { LogitBias = new Dictionary<int, float> { [4] = 1f } }, 4));
    }

    private static FloatComparer Close { get; } = new(1e-5f);

    private static float[] Compute(SamplingParameters parameters, float[] logits, int[]? generated = null)
    {
        var probabilities = new float[logits.Length];
        new TokenDistribution(parameters, logits.Length).Compute(logits, generated ?? [], probabilities);
        return probabilities;
    }

    private static float[] Softmax(double[] logits)
    {
        var exp = logits.Select(Math.Exp).ToArray();
        return [.. exp.Select(e => (float)(e / exp.Sum()))];
    }

    private sealed class FloatComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
