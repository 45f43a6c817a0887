using Momo.Engine.Runtime;
using Momo.Engine.Speculation;

namespace Momo.Engine.Scheduling;

/// <summary>
/// Plans one step before anything is decoded. Prefill: each tier caches at most the per-step prompt budget, so a long
/// prompt never stalls running streams. A sequence is ready once the target holds its prompt; its first token comes from
/// the target alone. Speculation, for each ready sequence whose smaller tiers hold its text too: the request's fixed
/// draft lengths or the adaptive planner's choice, bounded by the tokens the request may still produce, its context,
/// and each tier's batch limit (a sequence's logits rows must fit in one decode); then, if the step's target
/// verification would exceed one decode, <see cref="TargetBatchFit"/> decides between splitting and shorter tails.
/// </summary>
internal sealed class StepPlanner(TierSet tiers, KvLedger ledger, DraftLengthPlanner lengths, EngineOptions options)
{
    private readonly StepPlan _plan = new();
    private readonly int[] _prefillBudget = new int[TierSet.Count];

    public StepPlan Plan(IReadOnlyList<Sequence> runnable)
    {
        _plan.Clear();
        Array.Fill(_prefillBudget, options.PrefillTokensPerStep);
        foreach (var sequence in runnable)
        {
            // Until its first token a sequence needs only the target, which answers alone (llama-server does the same):
            // the smaller tiers' prefill would only delay the first token. After it, a sequence whose smaller tiers are
            // still prefilling keeps generating with the target alone rather than stalling.
            var firstToken = sequence.GeneratedCount == 0;
            if (!PlanPrefill(sequence, Tier.Target))
            {
                continue;
            }
            var smallerTiersReady = true;
            if (!firstToken)
            {
                foreach (var tier in TierSet.TiersOf(sequence.Mode))
                {
                    smallerTiersReady &= tier == Tier.Target || PlanPrefill(sequence, tier);
                }
            }
            _plan.Ready.Add(firstToken || !smallerTiersReady ? new SequencePlan(sequence, 0, 0) : PlanSpeculation(sequence));
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

    private SequencePlan PlanSpeculation(Sequence sequence)
    {
        // Proposals beyond this would be verified in vain (max_tokens) or not fit (context; +3 covers the bonus
        // position and a qualifier round's overshoot).
        var budget = Math.Min(sequence.RemainingTokens - 1, options.ContextPerSequence - sequence.WorkingLength - 3);
        if (budget <= 0)
        {
            return new SequencePlan(sequence, 0, 0);
        }
        var settings = sequence.Request.Speculation;
        var target = tiers.Target.MaxBatchTokens;
        switch (sequence.Mode)
        {
            case DecodingMode.TwoTier:
                var gamma = settings.DraftTokens ?? lengths.ChooseTwoTier(sequence.DraftToTarget.Rate);
                // The target's rows: γ proposals and the bonus position.
                return new SequencePlan(sequence, Math.Max(0, Math.Min(gamma, Math.Min(budget, target - 1))), 0);
            case DecodingMode.Pyramid:
                var (inner, outer) = settings.DraftTokens is { } g1 && settings.QualifiedTokens is { } g2
                    ? (g1, g2)
                    : lengths.ChoosePyramid(sequence.DraftToQualifier.Rate, sequence.QualifierToTarget.Rate);
                var qualifier = tiers[Tier.Qualifier]!.MaxBatchTokens;
                // The qualifier's rows: γ₁ drafts and the bonus; the target's: up to γ₂ + 1 qualified tokens (a last
                // inner round may overshoot by one) and the bonus.
                // (A limit too small for any proposal leaves 0: the sequence verifies with the target alone this step.)
                var draftLength = Math.Min(Math.Max(1, settings.DraftTokens ?? inner), qualifier - 1);
                var qualifiedLength = Math.Max(0, Math.Min(settings.QualifiedTokens ?? outer, Math.Min(budget, target - 2)));
                return new SequencePlan(sequence, draftLength, qualifiedLength);
            default:
                return new SequencePlan(sequence, 0, 0);
        }
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
        var alphas = new double[count];
        for (var i = 0; i < count; i++)
        {
            var planned = _plan.Ready[i];
            var sequence = planned.Sequence;
            var catchUp = sequence.CommittedLength - ledger.Cached(sequence.Slot, Tier.Target);
            var pyramid = sequence.Mode == DecodingMode.Pyramid;
            gammas[i] = pyramid ? planned.QualifiedLength : planned.DraftLength;
            overhead[i] = catchUp + (pyramid && gammas[i] > 0 ? 1 : 0);
            alphas[i] = pyramid ? sequence.QualifierToTarget.Rate : sequence.DraftToTarget.Rate;
        }
        TargetBatchFit.Fit(gammas, overhead, alphas, tiers.Target.MaxBatchTokens, lengths.TargetCost);
        for (var i = 0; i < count; i++)
        {
            var planned = _plan.Ready[i];
            if (planned.Sequence.Mode == DecodingMode.Pyramid)
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
