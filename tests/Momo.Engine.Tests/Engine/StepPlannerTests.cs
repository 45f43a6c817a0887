using System.Threading.Channels;
using Momo.Engine.Publishing;
using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;
using Momo.Engine.Scheduling.Chains;
using Momo.Engine.Sequences;
using Momo.Engine.Speculation;

namespace Momo.Engine.Tests.Engine;

/// <summary>The step planner reads sequences and chain descriptors and writes nothing but a new plan.</summary>
public sealed class StepPlannerTests
{
    [Theory]
    [InlineData(DecodingMode.Auto)]
    [InlineData(DecodingMode.Pyramid)]
    [InlineData(DecodingMode.TwoTier)]
    public void Planning_a_step_twice_changes_no_sequence_and_gives_equal_plans(DecodingMode mode)
    {
        var (planner, tails, sequences) = Setup(mode);
        var before = sequences.Select(Snapshot).ToList();

        var first = planner.Plan(sequences);
        var second = planner.Plan(sequences);

        Assert.Equal(before, sequences.Select(Snapshot).ToList());
        Assert.Equal(first.Prefill, second.Prefill);
        Assert.Equal(
            first.Ready.Select(p => (p.Sequence, p.Chain, p.Lengths, string.Join(",", p.LookupTokens), p.Auto)),
            second.Ready.Select(p => (p.Sequence, p.Chain, p.Lengths, string.Join(",", p.LookupTokens), p.Auto)));
        Assert.NotSame(first, second);
        GC.KeepAlive(tails);
    }

    [Fact]
    public void A_repeating_text_is_planned_as_lookup_with_the_found_tokens_in_the_plan_and_not_in_the_sequence()
    {
        var (planner, _, sequences) = Setup(DecodingMode.TwoTier, lookup: true);

        var plan = planner.Plan(sequences);

        var planned = Assert.Single(plan.Ready, p => p.Sequence == sequences[0]);
        Assert.Same(ChainRegistry.Lookup, planned.Chain);
        Assert.InRange(planned.Lengths.LookupCount, 1, planned.LookupTokens.Length);
        Assert.Equal(0, sequences[0].Tokens.TailLength);
    }

    [Fact]
    public void Every_fixed_mode_runs_one_registered_chain_and_every_chain_is_registered_once()
    {
        foreach (var mode in new[] { DecodingMode.TargetOnly, DecodingMode.TwoTier, DecodingMode.Pyramid })
        {
            Assert.Equal(mode, ChainRegistry.Of(mode).Mode);
        }
        Assert.Equal(ChainRegistry.All.Count, ChainRegistry.All.Select(c => c.Name).Distinct().Count());
        Assert.Throws<ArgumentOutOfRangeException>(() => ChainRegistry.Of(DecodingMode.Auto));
    }

    private static (StepPlanner Planner, TailKeeper Tails, Sequence[] Sequences) Setup(DecodingMode mode, bool lookup = false)
    {
        var vocabulary = EngineHarness.Vocabulary;
        var tiers = new TierSet(
            new FakeTierModel("target", vocabulary, 0.0), new FakeTierModel("qualifier", vocabulary, 0.8), new FakeTierModel("draft", vocabulary, 1.6));
        var options = new EngineOptions(MaxSequences: 4, ContextPerSequence: 4096);
        var ledger = new KvLedger(tiers, options.MaxSequences);
        var tails = new TailKeeper(ledger, new FakeVocabulary());
        var priors = new AcceptancePriors();
        // A text that repeats, so prompt lookup finds a continuation; each sequence has generated a few tokens.
        int[] prompt = [2, 3, 4, 5, 2, 3, 4, 5, 2, 3];
        var sequences = Enumerable.Range(0, 3).Select(slot =>
        {
            var request = EngineHarness.Request(prompt, mode, maxTokens: 100, lookup: lookup ? true : null);
            var sequence = new Sequence(request, slot, 0, vocabulary, Channel.CreateUnbounded<GenerationUpdate>().Writer, new OutputText(new FakeVocabulary(), [], 100), priors, null);
            tails.Commit(sequence, 0, 4);
            tails.Commit(sequence, 0, 5);
            return sequence;
        }).ToArray();
        // Every tier already holds the text, as after earlier steps.
        foreach (var sequence in sequences)
        {
            foreach (var tier in Enum.GetValues<Tier>())
            {
                ledger.Stored(sequence.Slot, tier, sequence.Tokens.CommittedLength - 1);
            }
        }
        return (new StepPlanner(tiers, ledger, FakeCosts.Planner(), options), tails, sequences);
    }

    private static string Snapshot(Sequence s) => string.Join(
        "|", string.Join(",", s.Tokens.Working.ToArray()), s.Tokens.CommittedLength, s.Tokens.QualifiedCount, s.Tokens.DraftCount, s.State, s.Mode,
        s.Acceptance.StepsWithoutSpeculation, s.Acceptance.Probes, string.Join(",", s.Acceptance.DraftToTarget.Profile.TokensPerVerify(4)));
}
