using Momo.Engine.Sampling;
using Momo.Engine.Speculation;

namespace Momo.Engine.Tests.Speculation;

/// <summary>The verification rule on hand-made distributions.</summary>
public sealed class SpeculativeSamplingTests
{
    private const int V = 4;

    [Fact]
    public void Perfect_match_accepts_every_proposal_and_adds_a_bonus_from_the_verifier()
    {
        var rows = Distributions.Rows(Distributions.OneHot(V, 2), Distributions.OneHot(V, 1));
        var verifier = Distributions.Rows(Distributions.OneHot(V, 2), Distributions.OneHot(V, 1), Distributions.OneHot(V, 3));

        var outcome = SpeculativeSampling.Verify([2, 1], rows, verifier, V, new RequestRandom(1));

        Assert.Equal(new VerifyOutcome(2, 3, NextIsBonus: true), outcome);
    }

    [Fact]
    public void An_early_mismatch_stops_at_the_first_rejection_and_emits_the_verifiers_token()
    {
        var proposal = Distributions.Rows(Distributions.OneHot(V, 0), Distributions.OneHot(V, 1), Distributions.OneHot(V, 2));
        var verifier = Distributions.Rows(Distributions.OneHot(V, 0), Distributions.OneHot(V, 3), Distributions.OneHot(V, 2), Distributions.OneHot(V, 1));

        var outcome = SpeculativeSampling.Verify([0, 1, 2], proposal, verifier, V, new RequestRandom(1));

        Assert.Equal(new VerifyOutcome(1, 3, NextIsBonus: false), outcome);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Rejection_at_any_position_keeps_exactly_the_proposals_before_it(int rejectAt)
    {
        var proposed = new[] { 0, 1, 2, 3 };
        var proposal = Distributions.Rows(proposed.Select(t => Distributions.OneHot(V, t)).ToArray());
        var verifierRows = proposed.Select((t, i) => Distributions.OneHot(V, i == rejectAt ? (t + 1) % V : t)).Append(Distributions.OneHot(V, 0)).ToArray();

        var outcome = SpeculativeSampling.Verify(proposed, proposal, Distributions.Rows(verifierRows), V, new RequestRandom(5));

        Assert.Equal(rejectAt, outcome.AcceptedCount);
        Assert.Equal((proposed[rejectAt] + 1) % V, outcome.NextToken);
        Assert.False(outcome.NextIsBonus);
    }

    [Fact]
    public void A_proposal_the_verifier_finds_impossible_is_always_rejected_and_never_re_emitted()
    {
        float[] u = [0.5f, 0.5f, 0, 0];
        float[] v = [0, 0.5f, 0.5f, 0];
        for (var seed = 0UL; seed < 200; seed++)
        {
            var outcome = SpeculativeSampling.Verify([0], u, Distributions.Rows(v, v), V, new RequestRandom(seed));
            Assert.Equal(0, outcome.AcceptedCount);
            Assert.Equal(2, outcome.NextToken); // the residual max(0, v − u) has all its mass on token 2
        }
    }

    [Fact]
    public void Several_sequences_verified_in_one_step_get_the_same_outcomes_in_any_order()
    {
        var random = new Random(3);
        var cases = Enumerable.Range(0, 5).Select(i =>
        {
            var k = i + 1;
            var proposal = Enumerable.Range(0, k).Select(_ => Distributions.Random(random, 8)).ToArray();
            var verifier = Enumerable.Range(0, k + 1).Select(_ => Distributions.Random(random, 8)).ToArray();
            var tokens = Enumerable.Range(0, k).Select(_ => random.Next(8)).ToArray();
            return (tokens, Distributions.Rows(proposal), Distributions.Rows(verifier));
        }).ToList();

        // Each sequence owns its random stream, so one sequence's draws never shift another's outcome.
        var streams = cases.Select((_, i) => new RequestRandom((ulong)i)).ToArray();
        var forward = cases.Select((c, i) => SpeculativeSampling.Verify(c.tokens, c.Item2, c.Item3, 8, streams[i])).ToList();
        var reversedStreams = cases.Select((_, i) => new RequestRandom((ulong)i)).ToArray();
        var backward = Enumerable.Range(0, cases.Count).Reverse()
            .Select(i => (i, SpeculativeSampling.Verify(cases[i].tokens, cases[i].Item2, cases[i].Item3, 8, reversedStreams[i])))
            .OrderBy(x => x.i).Select(x => x.Item2).ToList();

        Assert.Equal(forward, backward);
        Assert.Contains(forward, o => o.AcceptedCount > 0);
        Assert.Contains(forward, o => !o.NextIsBonus);
    }

    [Fact]
    public void The_same_seed_gives_the_same_outcome()
    {
        var random = new Random(11);
        var proposal = Distributions.Rows(Distributions.Random(random, 16), Distributions.Random(random, 16), Distributions.Random(random, 16));
        var verifier = Distributions.Rows(Enumerable.Range(0, 4).Select(_ => Distributions.Random(random, 16)).ToArray());
        int[] tokens = [3, 7, 1];

        var outcomes = Enumerable.Range(0, 3).Select(_ => SpeculativeSampling.Verify(tokens, proposal, verifier, 16, new RequestRandom(42))).ToList();

        Assert.All(outcomes, o => Assert.Equal(outcomes[0], o));
    }

    [Fact]
    public void Greedy_rows_accept_exactly_when_the_proposal_is_the_verifiers_argmax_whatever_the_seed()
    {
        for (var seed = 0UL; seed < 50; seed++)
        {
            var accept = SpeculativeSampling.Verify([1], Distributions.OneHot(V, 1), Distributions.Rows(Distributions.OneHot(V, 1), Distributions.OneHot(V, 0)), V, new RequestRandom(seed));
            var reject = SpeculativeSampling.Verify([1], Distributions.OneHot(V, 1), Distributions.Rows(Distributions.OneHot(V, 2), Distributions.OneHot(V, 0)), V, new RequestRandom(seed));

            Assert.Equal(new VerifyOutcome(1, 0, true), accept);
            Assert.Equal(new VerifyOutcome(0, 2, false), reject); // the recovered token is the verifier's argmax
        }
    }
}
