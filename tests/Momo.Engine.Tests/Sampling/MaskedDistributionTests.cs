using Momo.Engine.Sampling;

namespace Momo.Engine.Tests.Sampling;

public sealed class MaskedDistributionTests
{
    private static ulong[] Allowed(params int[] tokens) => [tokens.Aggregate(0UL, (mask, t) => mask | (1UL << t))];

    [Fact]
    public void Greedy_picks_the_argmax_among_the_allowed_tokens()
    {
        var row = new float[4];
        new TokenDistribution(SamplingParameters.Greedy, 4).Compute([5f, 1f, 3f, 2f], [], row, Allowed(2, 3));
        Assert.Equal([0f, 0f, 1f, 0f], row);
    }

    [Fact]
    public void The_mask_comes_before_the_logit_bias_so_a_bias_cannot_revive_a_banned_token()
    {
        var sampling = new SamplingParameters { Temperature = 1, LogitBias = new Dictionary<int, float> { [0] = 100f } };
        var row = new float[4];
        new TokenDistribution(sampling, 4).Compute([0f, 0f, 0f, 0f], [], row, Allowed(1, 2));
        Assert.Equal(0f, row[0]);
        Assert.Equal(0.5f, row[1], 5);
        Assert.Equal(0.5f, row[2], 5);
    }

    [Fact]
    public void A_row_whose_allowed_tokens_are_all_minus_infinity_becomes_uniform_over_them_instead_of_nan()
    {
        // A smaller tier lacking the allowed ids (widened to the target's vocabulary with −∞).
        var row = new float[4];
        var logits = new[] { 2f, float.NegativeInfinity, float.NegativeInfinity, 1f };
        new TokenDistribution(new SamplingParameters { Temperature = 0.7f, TopK = 3 }, 4).Compute(logits, [], row, Allowed(1, 2));
        Assert.Equal([0f, 0.5f, 0.5f, 0f], row);
    }

    [Fact]
    public void Sampled_rows_give_banned_tokens_exactly_zero_and_renormalise_the_rest()
    {
        var row = new float[70];
        var logits = Enumerable.Range(0, 70).Select(i => (float)Math.Sin(i)).ToArray();
        ulong[] allowed = [0xF0F0F0F0F0F0F0F0UL, 0b101UL];
        new TokenDistribution(new SamplingParameters { Temperature = 1 }, 70).Compute(logits, [], row, allowed);
        for (var t = 0; t < 70; t++)
        {
            var isAllowed = (allowed[t >> 6] & (1UL << (t & 63))) != 0;
            Assert.True(isAllowed ? row[t] > 0 : row[t] == 0, $"token {t}");
        }
        Assert.Equal(1.0, row.Sum(), 5);
    }
}
