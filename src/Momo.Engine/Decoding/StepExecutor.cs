using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;
using Momo.Engine.Telemetry;

namespace Momo.Engine.Decoding;

/// <summary>
/// Executes one engine step over all active sequences: prefill chunks, then draft and qualifier rounds until every
/// pyramid sequence holds its γ₂ qualified tokens, then one target verification for everyone. Each phase is one
/// batched decode per tier across all sequences, whatever their modes and draft lengths.
/// </summary>
internal sealed class StepExecutor(TierSet tiers, ITokenText vocabulary, RoundPlanner planner, int prefillBudget, EngineMetrics metrics)
{
    private readonly PrefillPhase _prefill = new(tiers, prefillBudget);
    private readonly DraftPhase _draft = new(tiers, vocabulary);
    private readonly QualifyPhase _qualify = new(tiers, metrics);
    private readonly VerifyPhase _verify = new(tiers, metrics);
    private readonly List<Sequence> _ready = [];
    private readonly List<Sequence> _drafting = [];

    /// <summary>Runs the step; <paramref name="committed"/> receives each verified sequence and where its new tokens start.</summary>
    public void Run(IReadOnlyList<Sequence> active, List<(Sequence Sequence, int FirstNew)> committed)
    {
        _prefill.Run(active);
        _ready.Clear();
        foreach (var sequence in active)
        {
            if (PrefillPhase.IsComplete(sequence))
            {
                planner.Plan(sequence);
                _ready.Add(sequence);
            }
        }
        SpeculateTails();
        _verify.Run(_ready, committed);
    }

    private void SpeculateTails()
    {
        var firstRound = true;
        while (true)
        {
            _drafting.Clear();
            foreach (var sequence in _ready)
            {
                sequence.DraftsWanted = DraftsThisRound(sequence, firstRound);
                if (sequence.DraftsWanted > 0)
                {
                    _drafting.Add(sequence);
                }
            }
            if (_drafting.Count == 0)
            {
                return;
            }
            _draft.Run(_drafting);
            _qualify.Run(_drafting.Where(s => s.Mode == DecodingMode.Pyramid).ToList());
            firstRound = false;
        }
    }

    private int DraftsThisRound(Sequence sequence, bool firstRound)
    {
        switch (sequence.Mode)
        {
            case DecodingMode.TwoTier:
                return firstRound ? sequence.DraftGoal : 0;
            case DecodingMode.Pyramid:
                var missing = sequence.QualifiedGoal - sequence.QualifiedCount;
                var lastIsEnd = sequence.QualifiedCount > 0 && vocabulary.IsEndOfGeneration(sequence.Working[^1]);
                return missing <= 0 || lastIsEnd ? 0 : Math.Min(sequence.DraftGoal, missing);
            default:
                return 0;
        }
    }
}
