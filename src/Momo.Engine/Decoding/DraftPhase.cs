using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;

namespace Momo.Engine.Decoding;

/// <summary>
/// The draft proposes tokens autoregressively: one batched decode per draft position across all drafting
/// sequences (never one decode per sequence), each sequence stopping at its own <see cref="Sequence.DraftsWanted"/>.
/// Each proposal's distribution q is kept in the sequence's tail rows for the verifying stage.
/// </summary>
internal sealed class DraftPhase(TierSet tiers, ITokenText vocabulary)
{
    private readonly DecodeBatch _batch = new();
    private readonly List<(Sequence Sequence, int KvBefore)> _fed = [];
    private readonly List<int> _handles = [];

    public void Run(IReadOnlyList<Sequence> sequences)
    {
        while (true)
        {
            _batch.Clear();
            _fed.Clear();
            _handles.Clear();
            foreach (var sequence in sequences)
            {
                if (sequence.DraftsWanted <= 0)
                {
                    continue;
                }
                _fed.Add((sequence, sequence.Kv[(int)Tier.Draft]));
                _handles.Add(TierFeed.AddCatchUp(_batch, sequence, Tier.Draft, logitsForLast: 1));
            }
            if (_fed.Count == 0)
            {
                return;
            }
            TierFeed.Decode(tiers, Tier.Draft, _batch, _fed);
            var model = tiers[Tier.Draft]!;
            for (var i = 0; i < _fed.Count; i++)
            {
                Propose(_fed[i].Sequence, model.Logits(_handles[i]));
            }
        }
    }

    private void Propose(Sequence sequence, ReadOnlySpan<float> logits)
    {
        var row = sequence.TailRows.Row(sequence.TailLength);
        sequence.Distribution.Compute(logits, sequence.HistoryBefore(sequence.WorkingLength), row);
        var token = sequence.Random.SampleFrom(row);
        sequence.AppendDraft(token);
        sequence.Counters.DraftedTokens++;
        // Drafting past the end of the text is wasted work: the verifier stops there anyway.
        sequence.DraftsWanted = vocabulary.IsEndOfGeneration(token) ? 0 : sequence.DraftsWanted - 1;
    }
}
