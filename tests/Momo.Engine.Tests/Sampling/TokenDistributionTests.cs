using Momo.Engine.Sampling;

namespace Momo.Engine.Tests.Sampling;

/// <summary>Each sampling transform does what OpenAI's parameter says, and the result is a distribution.</summary>
public sealed class TokenDistributionTests
{
    private static readonly float[] Logits = [2.0f, 1.0f, 0.5f, 0.0f, -1.0f];

    private static float[] Compute(SamplingParameters parameters, int[]? history = null)
    {
        var probabilities = new float[Logits.Length];
        new TokenDistribution(parameters, Logits.Length).Compute(Logits, history ?? [], probabilities);
        Assert.Equal(1.0, probabilities.Sum(), 4);
        return probabilities;
    }

    [Fact]
    public void Greedy_is_one_hot_at_the_argmax()
    {
        Assert.Equal([1f, 0, 0, 0, 0], Compute(SamplingParameters.Greedy));
    }

    [Fact]
    public void Greedy_ties_go_to_the_lowest_token_id()
    {
        var probabilities = new float[3];
        new TokenDistribution(SamplingParameters.Greedy, 3).Compute([1f, 3f, 3f], [], probabilities);
        Assert.Equal([0f, 1, 0], probabilities);
    }

    [Fact]
    public void Temperature_one_is_the_softmax_and_lower_temperature_sharpens_it()
    {
        var plain = Compute(new SamplingParameters());
        var expected = Logits.Select(l => Math.Exp(l)).ToArray();
        for (var i = 0; i < Logits.Length; i++)
        {
            Assert.Equal(expected[i] / expected.Sum(), plain[i], 5);
        }
        Assert.True(Compute(new SamplingParameters { Temperature = 0.5f })[0] > plain[0]);
    }

    [Fact]
    public void Top_k_keeps_only_the_k_most_likely_tokens()
    {
        var probabilities = Compute(new SamplingParameters { TopK = 2 });
        Assert.True(probabilities[0] > 0 && probabilities[1] > 0);
        Assert.All(probabilities[2..], p => Assert.Equal(0, p));
    }

    [Fact]
    public void Top_p_keeps_the_smallest_set_reaching_the_mass()
    {
        var plain = Compute(new SamplingParameters());
        var probabilities = Compute(new SamplingParameters { TopP = (plain[0] + plain[1]) - 0.01f });
        Assert.True(probabilities[1] > 0);
        Assert.All(probabilities[2..], p => Assert.Equal(0, p));
    }

    [Fact]
    public void Min_p_drops_tokens_below_the_fraction_of_the_best()
    {
        var plain = Compute(new SamplingParameters());
        var probabilities = Compute(new SamplingParameters { MinP = (plain[2] / plain[0]) + 0.01f });
        Assert.True(probabilities[1] > 0);
        Assert.All(probabilities[2..], p => Assert.Equal(0, p));
    }

    [Fact]
    public void Logit_bias_of_minus_100_bans_a_token_and_a_positive_bias_can_make_it_the_greedy_choice()
    {
        Assert.Equal(0, Compute(new SamplingParameters { LogitBias = new Dictionary<int, float> { [0] = -100 } })[0], 6);
        Assert.Equal(1, Compute(SamplingParameters.Greedy with { LogitBias = new Dictionary<int, float> { [4] = 5 } })[4]);
    }

    [Fact]
    public void Presence_and_frequency_penalties_lower_tokens_already_generated()
    {
        var plain = Compute(new SamplingParameters());
        var presence = Compute(new SamplingParameters { PresencePenalty = 1 }, [0, 0, 0]);
        var frequency = Compute(new SamplingParameters { FrequencyPenalty = 1 }, [0, 0, 0]);
        Assert.True(presence[0] < plain[0]);
        Assert.True(frequency[0] < presence[0], "three occurrences weigh more than one presence");
        // Greedy flips away from a token penalised enough.
        Assert.Equal(1, Compute(SamplingParameters.Greedy with { FrequencyPenalty = 1 }, [0, 0])[1]);
    }

    [Fact]
    public void The_same_logits_give_the_same_distribution_every_time()
    {
        var parameters = new SamplingParameters { Temperature = 0.7f, TopK = 4, TopP = 0.9f, MinP = 0.05f };
        Assert.Equal(Compute(parameters), Compute(parameters));
    }

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
