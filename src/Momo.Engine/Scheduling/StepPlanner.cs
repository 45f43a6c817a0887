using Momo.Engine.Requests;
using Momo.Engine.Runtime;
using Momo.Engine.Scheduling.Chains;
using Momo.Engine.Sequences;
using Momo.Engine.Speculation;

namespace Momo.Engine.Scheduling;

/// <summary>
/// Plans one step before anything is decoded, and changes nothing while it does (a new <see cref="StepPlan"/> each
/// step). Prefill: each tier caches at most the per-step prompt budget, so a long prompt never stalls running streams.
/// A sequence is ready once the target holds its prompt; its first token comes from the target alone. For each ready
/// sequence whose smaller tiers hold its text too, the chain (<see cref="ChainChooser"/>) and its lengths, bounded by
/// the chain (<see cref="ProposalChain.Bound"/>) by the tokens the request may still produce, its context, and each
/// tier's batch limit (a sequence's logits rows must fit in one decode); then, if the step's target verification would
/// exceed one decode, <see cref="TargetBatchFit"/> decides between splitting and shorter tails.
/// </summary>
internal sealed class StepPlanner(TierSet tiers, KvLedger ledger, DraftLengthPlanner lengths, EngineOptions options)
{
    private readonly int[] _prefillBudget = new int[TierSet.Count];
    private readonly int[] _lookupScratch = new int[SpeculationSettings.MaxLookupTokens];
    private readonly ChainChooser _chooser = new(tiers, ledger, lengths);

    public StepPlan Plan(IReadOnlyList<Sequence> runnable)
    {
        var prefill = new List<PrefillChunk>();
        var ready = new List<Sequence>(runnable.Count);
        Array.Fill(_prefillBudget, options.PrefillTokensPerStep);
        foreach (var sequence in runnable)
        {
            if (PlanPrefill(sequence, Tier.Target, prefill))
            {
                ready.Add(sequence);
            }
        }
        // Chains are priced by what they add to the whole step, so the chooser first learns how many verify in it.
        _chooser.BeginStep(ready.Count);
        var plans = new SequencePlan[ready.Count];
        for (var i = 0; i < plans.Length; i++)
        {
            // Until its first token a sequence needs only the target, which answers alone (llama-server does the same):
            // the smaller tiers' prefill would only delay the first token. After it, a sequence whose smaller tiers are
            // still prefilling keeps generating with the target alone rather than stalling.
            var sequence = ready[i];
            plans[i] = sequence.Tokens.GeneratedCount == 0 ? SequencePlan.TargetAlone(sequence) : PlanSpeculation(sequence, prefill);
            _chooser.Settle(plans[i]);
        }
        FitTargetBatch(plans);
        return new StepPlan(prefill, plans);
    }

    /// <summary>Adds the sequence's prefill chunk for <paramref name="tier"/>; returns whether the tier will then hold its prompt.</summary>
    private bool PlanPrefill(Sequence sequence, Tier tier, List<PrefillChunk> prefill)
    {
        // All committed tokens but the last: the first decode of a phase feeds that one with logits.
        var missing = sequence.Tokens.CommittedLength - 1 - ledger.Cached(sequence.Slot, tier);
        var count = Math.Min(missing, _prefillBudget[(int)tier]);
        if (count > 0)
        {
            prefill.Add(new PrefillChunk(sequence, tier, count));
            _prefillBudget[(int)tier] -= count;
        }
        return count >= missing;
    }

    /// <summary>
    /// Prefills the smaller tiers a chain needs; returns whether they hold the sequence's text. A fixed mode keeps all its
    /// tiers prefilled (it will use them); <c>auto</c> prefills a tier only once it chooses a chain that needs it, so a
    /// sequence it serves with the target alone never pays for the smaller tiers.
    /// </summary>
    private bool PrefillSmallerTiers(Sequence sequence, ProposalChain chain, List<PrefillChunk> prefill)
    {
        var needed = sequence.Mode != DecodingMode.Auto ? tiers.TiersOf(sequence.Mode) : chain.SmallerTiers;
        var ready = true;
        foreach (var tier in needed)
        {
            ready &= tier == Tier.Target || PlanPrefill(sequence, tier, prefill);
        }
        return ready;
    }

    private SequencePlan PlanSpeculation(Sequence sequence, List<PrefillChunk> prefill)
    {
        // Proposals beyond this would be verified in vain (max_tokens) or not fit (context; +3 covers the bonus
        // position and a qualifier round's overshoot).
        var budget = Math.Min(sequence.Tokens.RemainingTokens - 1, options.ContextPerSequence - sequence.Tokens.WorkingLength - 3);
        var target = tiers.Target.MaxBatchTokens;
        if (budget <= 0)
        {
            return SequencePlan.TargetAlone(sequence);
        }
        var settings = sequence.Request.Speculation;
        var found = 0;
        if (settings.UsesLookup)
        {
            // The target's rows: the lookup tokens and the bonus position.
            var room = Math.Min(Math.Min(budget, target - 1), settings.LookupTokens ?? SpeculationSettings.MaxLookupTokens);
            found = room > 0 ? sequence.Lookup.Propose(sequence.Tokens.Committed, _lookupScratch.AsSpan(0, room)) : 0;
        }
        var (chain, chosen, auto) = _chooser.Choose(sequence, found);
        if (!PrefillSmallerTiers(sequence, chain, prefill) && chain.SmallerTiers.Count > 0)
        {
            // Its smaller tiers are still catching up: this step goes without them.
            (chain, chosen) = (found > 0 ? ChainRegistry.Lookup : ChainRegistry.TargetOnly, default);
        }
        var bounds = new LengthBounds(budget, target, tiers[Tier.Qualifier]?.MaxBatchTokens ?? 0, found);
        var bounded = chain.Bound(chosen, settings, bounds);
        var lookupTokens = bounded.LookupCount > 0 ? _lookupScratch[..found] : [];
        return new SequencePlan(sequence, chain, bounded, lookupTokens, auto);
    }

    private void FitTargetBatch(SequencePlan[] plans)
    {
        var count = plans.Length;
        if (count == 0)
        {
            return;
        }
        var gammas = new int[count];
        var overhead = new int[count];
        var alphas = new AcceptanceProfile[count];
        for (var i = 0; i < count; i++)
        {
            var (sequence, chain, chainLengths) = (plans[i].Sequence, plans[i].Chain, plans[i].Lengths);
            var catchUp = sequence.Tokens.CommittedLength - ledger.Cached(sequence.Slot, Tier.Target);
            gammas[i] = chain.TargetProposals(chainLengths);
            overhead[i] = catchUp + chain.TargetOverhead(chainLengths);
            alphas[i] = chain.TargetProfile(sequence);
        }
        TargetBatchFit.Fit(gammas, overhead, alphas, tiers.Target.MaxBatchTokens, lengths.TargetCost);
        for (var i = 0; i < count; i++)
        {
            if (gammas[i] != plans[i].Chain.TargetProposals(plans[i].Lengths))
            {
                plans[i] = plans[i] with { Lengths = plans[i].Chain.WithTargetProposals(plans[i].Lengths, gammas[i]) };
            }
        }
    }
}
