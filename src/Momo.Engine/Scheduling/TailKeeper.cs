using Momo.Engine.Runtime;
using Momo.Engine.Sequences;

namespace Momo.Engine.Scheduling;

/// <summary>
/// The one place a sequence's speculative tail changes together with the KV ledger. Each change (qualify, commit,
/// drop) first changes the sequence, then truncates every tier to the sequence's new working text but its last token,
/// so the invariant of <see cref="Sequence"/> holds again when the method returns: tier t's KV holds a prefix of
/// <c>Tokens.Working[..^1]</c>. Appending proposals is not a change here: the tiers cache them only when a decode stores them
/// (<see cref="KvLedger.Stored"/>).
/// </summary>
internal sealed class TailKeeper(KvLedger ledger, ITokenText vocabulary)
{
    /// <summary>
    /// The qualifier accepted the first <paramref name="accepted"/> drafts and emitted <paramref name="next"/>: they
    /// become qualified tokens and the other drafts go. An end-of-generation token among the newly qualified ones ends
    /// the tail there (tokens after it would be verified in vain); returns whether one did.
    /// </summary>
    public bool Qualify(Sequence sequence, int accepted, int next)
    {
        var firstNew = sequence.Tokens.QualifiedCount;
        sequence.Tokens.QualifyDrafts(accepted, next);
        var ended = false;
        for (var i = firstNew; i < sequence.Tokens.QualifiedCount; i++)
        {
            if (vocabulary.IsEndOfGeneration(sequence.Tokens.Working[sequence.Tokens.CommittedLength + i]))
            {
                sequence.Tokens.KeepQualified(i + 1);
                ended = true;
                break;
            }
        }
        // Everything before the last qualified token is now the sequence's content in every tier.
        TruncateKv(sequence);
        return ended;
    }

    /// <summary>The target accepted the first <paramref name="accepted"/> tail tokens and emitted <paramref name="next"/>: they are committed, the rest of the tail goes.</summary>
    public void Commit(Sequence sequence, int accepted, int next)
    {
        sequence.Tokens.CommitTail(accepted, next);
        sequence.Sampler.Grammar?.ForgetMasksBefore(sequence.Tokens.GeneratedCount); // committed positions are never masked again
        TruncateKv(sequence);
    }

    /// <summary>
    /// Drops the whole speculative tail and every tier's KV beyond the committed text (all but the last committed
    /// token, which the next step feeds). Always exact: committed tokens only come from verified rounds.
    /// </summary>
    public void Drop(Sequence sequence)
    {
        sequence.Tokens.DropTail();
        TruncateKv(sequence);
    }

    private void TruncateKv(Sequence sequence) => ledger.Truncate(sequence.Slot, Math.Max(0, sequence.Tokens.WorkingLength - 1));
}
