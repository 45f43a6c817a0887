using Momo.Engine.Speculation;

namespace Momo.Engine.Tests.Speculation;

/// <summary>Acceptance is learnt position by position, and the planner drafts by what each position is worth.</summary>
public sealed class RunningAcceptanceTests
{
    private static TierCostCurve Linear(double unit, double perExtraToken) =>
        new(Enumerable.Range(1, 16).Select(k => unit * (1 + (perExtraToken * (k - 1)))).ToArray());

    [Fact]
    public void Running_acceptance_moves_towards_the_acceptance_the_rows_imply()
    {
        var acceptance = new RunningAcceptance(prior: 0.5);
        for (var i = 0; i < 50; i++)
        {
            acceptance.Observe([0.95, 0.95, 0.95, 0.95], accepted: 4);
        }
        Assert.InRange(acceptance.Profile.At(0), 0.94, 0.96);
        Assert.InRange(acceptance.Profile.At(3), 0.94, 0.96);
        for (var i = 0; i < 50; i++)
        {
            acceptance.Observe([0.1, 0.1, 0.1, 0.1], accepted: 0);
        }
        Assert.InRange(acceptance.Profile.At(0), 0.09, 0.11);
    }

    [Fact]
    public void A_wrong_prior_is_lost_within_a_few_verifications()
    {
        var acceptance = new RunningAcceptance(prior: 0.8);
        for (var i = 0; i < 4; i++)
        {
            acceptance.Observe([0.1, 0.1, 0.1], accepted: 0);
        }
        // The prior counts as two observations: (2 · 0.8 + 4 · 0.1) / 6.
        Assert.Equal((1.6 + 0.4) / 6, acceptance.Profile.At(0), 9);
    }

    [Fact]
    public void A_new_sequence_starts_from_what_the_engine_s_recent_sequences_of_its_kind_measured()
    {
        var priors = new AcceptancePriors();
        var first = new RunningAcceptance(priors.For(greedy: false).LookupToTarget);
        for (var i = 0; i < 60; i++)
        {
            first.Observe([0.1, 0.1, 0.1], accepted: 0); // sampled text rejects lookup's proposals
        }

        var next = new RunningAcceptance(priors.For(greedy: false).LookupToTarget);
        var greedy = new RunningAcceptance(priors.For(greedy: true).LookupToTarget);

        Assert.InRange(next.Profile.At(0), 0.1, 0.35);
        Assert.InRange(next.Profile.At(3), 0.1, 0.35); // never measured engine-wide either: follows position 0
        Assert.Equal(0.8, greedy.Profile.At(0)); // greedy requests keep their own estimate
    }

    [Fact]
    public void A_position_is_learnt_only_where_every_proposal_before_it_was_accepted()
    {
        var acceptance = new RunningAcceptance(prior: 0.5);
        for (var i = 0; i < 80; i++)
        {
            // The second proposal was rejected, so the third and fourth were decoded after a token that is not the text.
            acceptance.Observe([0.9, 0.2, 0.95, 0.95], accepted: 1);
        }
        var profile = acceptance.Profile;
        Assert.InRange(profile.At(0), 0.89, 0.91);
        Assert.InRange(profile.At(1), 0.19, 0.21);
        // Never reached: they take the estimate of the position before them, the nearest evidence.
        Assert.Equal(profile.At(1), profile.At(2));
        Assert.Equal(profile.At(1), profile.At(3));
    }

    [Fact]
    public void A_position_no_run_reaches_drifts_towards_the_one_before_it_so_that_it_is_measured_again()
    {
        var acceptance = new RunningAcceptance(prior: 0.5);
        for (var i = 0; i < 80; i++)
        {
            acceptance.Observe([1.0, 0.0], accepted: 1);
        }
        Assert.InRange(acceptance.Profile.At(1), 0, 0.01);
        for (var i = 0; i < 150; i++)
        {
            acceptance.Observe([1.0], accepted: 1);
        }
        Assert.InRange(acceptance.Profile.At(1), 0.9, 1.0);
    }

    [Fact]
    public void A_profile_with_one_rate_everywhere_gives_the_geometric_expectation()
    {
        for (var gamma = 0; gamma <= 12; gamma++)
        {
            Assert.Equal(ExpectedGain.TokensPerVerify(0.73, gamma), AcceptanceProfile.ByPosition([0.73, 0.73]).TokensPerVerify(gamma), 9);
        }
        Assert.Equal(1 + 0.9 + (0.9 * 0.2) + (0.9 * 0.2 * 0.5), AcceptanceProfile.ByPosition([0.9, 0.2, 0.5]).TokensPerVerify(3), 9);
    }

    [Fact]
    public void Acceptance_falling_after_the_first_position_drafts_one_token_where_one_rate_would_draft_more()
    {
        var planner = new DraftLengthPlanner(Linear(1, 0.05), Linear(3, 0.05), Linear(10, 0.02));
        var byPosition = AcceptanceProfile.ByPosition([0.9, 0.2, 0.9]);
        Assert.Equal(1, planner.ChooseTwoTier(byPosition));
        // The same runs summarised by one maximum-likelihood α (accepted / (accepted + rejections)) look far better.
        Assert.True(planner.ChooseTwoTier(0.7) >= 3);
    }
}
