using Momo.Engine.Runtime;
using Momo.Engine.Speculation;

namespace Momo.Engine.Scheduling;

/// <summary>
/// Plans one step before anything is decoded. Prefill: each tier caches at most the per-step prompt budget, so a long
/// prompt never stalls running streams. A sequence is ready once the target holds its prompt; its first token comes from
/// the target alone. For each ready sequence whose smaller tiers hold its text too, the chain (<see cref="ChainChooser"/>)
/// and its lengths, bounded by the tokens the request may still produce, its context, and each tier's batch limit (a
/// sequence's logits rows must fit in one decode); then, if the step's target verification would exceed one decode,
/// <see cref="TargetBatchFit"/> decides between splitting and shorter tails.
/// </summary>
internal sealed class StepPlanner(TierSet tiers, KvLedger ledger, DraftLengthPlanner lengths, EngineOptions options)
{
    private readonly StepPlan _plan = new();
    private readonly List<Sequence> _ready = [];
    private readonly int[] _prefillBudget = new int[TierSet.Count];
    private readonly ChainChooser _chooser = new(tiers, ledger, lengths);

    public StepPlan Plan(IReadOnlyList<Sequence> runnable)
    {
        _plan.Clear();
        _ready.Clear();
        Array.Fill(_prefillBudget, options.PrefillTokensPerStep);
        foreach (var sequence in runnable)
        {
            if (PlanPrefill(sequence, Tier.Target))
            {
                _ready.Add(sequence);
            }
        }
        // Chains are priced by what they add to the whole step, so the chooser first learns how many verify in it.
        _chooser.BeginStep(_ready.Count);
        foreach (var sequence in _ready)
        {
            // Until its first token a sequence needs only the target, which answers alone (llama-server does the same):
            // the smaller tiers' prefill would only delay the first token. After it, a sequence whose smaller tiers are
            // still prefilling keeps generating with the target alone rather than stalling.
            var planned = sequence.GeneratedCount == 0 ? new SequencePlan(sequence, Chain.TargetOnly) : PlanSpeculation(sequence);
            _chooser.Settle(planned);
            _plan.Ready.Add(planned);
        }
        FitTargetBatch();
        return _plan;
    }

    /// <summary>Adds the sequence's prefill chunk for <paramref name="tier"/>; returns whether the tier will then hold its prompt.</summary>
    private bool PlanPrefill(Sequence sequence, Tier tier)
    {
        // All committed tokens but the last: the first decode of a phase feeds that one with logits.
        var missing = sequence.CommittedLength - 1 - ledger.Cached(sequence.Slot, tier);
        var count = Math.Min(missing, _prefillBudget[(int)tier]);
        if (count > 0)
        {
            _plan.Prefill.Add(new PrefillChunk(sequence, tier, count));
            _prefillBudget[(int)tier] -= count;
        }
        return count >= missing;
    }

    /// <summary>
    /// Prefills the smaller tiers a chain needs; returns whether they hold the sequence's text. A fixed mode keeps all its
    /// tiers prefilled (it will use them); <c>auto</c> prefills a tier only once it chooses a chain that needs it, so a
    /// sequence it serves with the target alone never pays for the smaller tiers.
    /// </summary>
    private bool PrefillSmallerTiers(Sequence sequence, Chain chain)
    {
        IReadOnlyList<Tier> needed = sequence.Mode != DecodingMode.Auto ? tiers.TiersOf(sequence.Mode) : chain switch
        {
            Chain.TwoTier => [Tier.Draft],
            Chain.Pyramid => [Tier.Draft, Tier.Qualifier],
            _ => [],
        };
        var ready = true;
        foreach (var tier in needed)
        {
            ready &= tier == Tier.Target || PlanPrefill(sequence, tier);
        }
        return ready;
    }

    private SequencePlan PlanSpeculation(Sequence sequence)
    {
        // Proposals beyond this would be verified in vain (max_tokens) or not fit (context; +3 covers the bonus
        // position and a qualifier round's overshoot).
        var budget = Math.Min(sequence.RemainingTokens - 1, options.ContextPerSequence - sequence.WorkingLength - 3);
        var target = tiers.Target.MaxBatchTokens;
        if (budget <= 0)
        {
            return new SequencePlan(sequence, Chain.TargetOnly);
        }
        var settings = sequence.Request.Speculation;
        var planned = new SequencePlan(sequence, Chain.TargetOnly);
        if (settings.UsesLookup)
        {
            // The target's rows: the lookup tokens and the bonus position.
            var room = Math.Min(Math.Min(budget, target - 1), settings.LookupTokens ?? SpeculationSettings.MaxLookupTokens);
            planned.LookupCount = room > 0 ? sequence.Lookup.Propose(sequence.Committed, sequence.LookupProposals.AsSpan(0, room)) : 0;
        }
        var chain = _chooser.Choose(sequence, planned.LookupCount);
        if (!PrefillSmallerTiers(sequence, chain.Chain) && chain.Chain is Chain.TwoTier or Chain.Pyramid)
        {
            // Its smaller tiers are still catching up: this step goes without them.
            chain = new ChainChooser.Choice(planned.LookupCount > 0 ? Chain.Lookup : Chain.TargetOnly);
        }
        planned.Chain = chain.Chain;
        switch (chain.Chain)
        {
            case Chain.Lookup:
                // The best number of them for the acceptance by position and the target's cost curve.
                planned.DraftLength = chain.Inner > 0 ? Math.Min(chain.Inner, planned.LookupCount) : planned.LookupCount;
                break;
            case Chain.TwoTier:
                // The target's rows: γ proposals and the bonus position.
                planned.DraftLength = Math.Max(0, Math.Min(settings.DraftTokens ?? chain.Inner, Math.Min(budget, target - 1)));
                break;
            case Chain.Pyramid:
                // The qualifier's rows: γ₁ drafts and the bonus; the target's: up to γ₂ + 1 qualified tokens (a last
                // inner round may overshoot by one) and the bonus. A limit too small for any proposal leaves 0: the
                // sequence verifies with the target alone this step.
                var qualifier = tiers[Tier.Qualifier]!.MaxBatchTokens;
                planned.DraftLength = Math.Min(Math.Max(1, settings.DraftTokens ?? chain.Inner), qualifier - 1);
                planned.QualifiedLength = Math.Max(0, Math.Min(settings.QualifiedTokens ?? chain.Outer, Math.Min(budget, target - 2)));
                break;
        }
        return planned;
    }

    private void FitTargetBatch()
    {
        var count = _plan.Ready.Count;
        if (count == 0)
        {
            return;
        }
        var gammas = new int[count];
        var overhead = new int[count];
        var alphas = new AcceptanceProfile[count];
        for (var i = 0; i < count; i++)
        {
            var planned = _plan.Ready[i];
            var sequence = planned.Sequence;
            var catchUp = sequence.CommittedLength - ledger.Cached(sequence.Slot, Tier.Target);
            var pyramid = planned.Chain == Chain.Pyramid;
            gammas[i] = pyramid ? planned.QualifiedLength : planned.DraftLength;
            overhead[i] = catchUp + (pyramid && gammas[i] > 0 ? 1 : 0);
            alphas[i] = planned.Chain switch
            {
                Chain.Pyramid => sequence.QualifierToTarget.Profile,
                Chain.Lookup => sequence.LookupToTarget.Profile,
                _ => sequence.DraftToTarget.Profile,
            };
        }
        TargetBatchFit.Fit(gammas, overhead, alphas, tiers.Target.MaxBatchTokens, lengths.TargetCost);
        for (var i = 0; i < count; i++)
        {
            var planned = _plan.Ready[i];
            if (planned.Chain == Chain.Pyramid)
            {
                planned.QualifiedLength = gammas[i];
            }
            else
            {
                planned.DraftLength = gammas[i];
            }
        }
    }
}
