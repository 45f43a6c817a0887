using System.Runtime.InteropServices;
using Momo.Engine.Requests;

namespace Momo.Engine.Sequences;

/// <summary>
/// A sequence's tokens, in one list laid out as <c>[committed (prompt + output) | speculative tail]</c>: the tail holds
/// qualified tokens and then draft tokens (pyramid), or proposals (two-tier, lookup), each with the distribution it was
/// sampled from in <see cref="TailRows"/>. The tail changes only through <c>TailKeeper</c>, which truncates the KV
/// ledger with it, so that tier t's KV holds exactly <c>Working[0..ledger.Cached(slot, t))</c> between phases and the
/// last working token is in no KV (appending proposals aside: a decode stores them).
/// </summary>
internal sealed class SequenceTokens
{
    private readonly List<int> _working;
    private readonly int _maxTokens;

    public SequenceTokens(IReadOnlyList<int> prompt, int maxTokens, int vocabulary)
    {
        _maxTokens = maxTokens;
        _working = new List<int>(prompt.Count + maxTokens + SpeculationSettings.MaxQualifiedTokens + 2);
        _working.AddRange(prompt);
        PromptLength = prompt.Count;
        CommittedLength = PromptLength;
        TailRows = new RowStore(vocabulary);
    }

    public int PromptLength { get; }
    public int CommittedLength { get; private set; }
    public int QualifiedCount { get; private set; }
    public int DraftCount { get; private set; }

    /// <summary>The distribution each tail token was drawn from, by tail index.</summary>
    public RowStore TailRows { get; }

    public int WorkingLength => _working.Count;
    public int TailLength => _working.Count - CommittedLength;
    public int GeneratedCount => CommittedLength - PromptLength;
    public int RemainingTokens => _maxTokens - GeneratedCount;
    public ReadOnlySpan<int> Working => CollectionsMarshal.AsSpan(_working);

    /// <summary>The committed text: prompt and generated tokens.</summary>
    public ReadOnlySpan<int> Committed => Working[..CommittedLength];

    /// <summary>Output tokens before working index <paramref name="position"/>: the history the penalties look at.</summary>
    public ReadOnlySpan<int> HistoryBefore(int position) => Working[PromptLength..position];

    /// <summary>Appends a proposal drawn from a one-hot distribution (prompt lookup), writing that row.</summary>
    public void AppendOneHot(int token)
    {
        var row = TailRows.Row(TailLength);
        row.Clear();
        row[token] = 1f;
        AppendDraft(token);
    }

    /// <summary>The draft proposed <paramref name="token"/>; its distribution is already in the tail row.</summary>
    public void AppendDraft(int token)
    {
        _working.Add(token);
        DraftCount++;
    }

    /// <summary>
    /// The qualifier accepted the first <paramref name="accepted"/> drafts and emitted <paramref name="next"/>
    /// (residual or bonus): they become qualified tokens, the rest of the drafts are dropped.
    /// </summary>
    public void QualifyDrafts(int accepted, int next)
    {
        var firstDropped = CommittedLength + QualifiedCount + accepted;
        _working.RemoveRange(firstDropped, _working.Count - firstDropped);
        _working.Add(next);
        QualifiedCount += accepted + 1;
        DraftCount = 0;
    }

    /// <summary>Keeps only the first <paramref name="count"/> qualified tokens of the tail.</summary>
    public void KeepQualified(int count)
    {
        var firstDropped = CommittedLength + count;
        _working.RemoveRange(firstDropped, _working.Count - firstDropped);
        QualifiedCount = count;
        DraftCount = 0;
    }

    /// <summary>The target accepted the first <paramref name="accepted"/> tail tokens and emitted <paramref name="next"/>.</summary>
    public void CommitTail(int accepted, int next)
    {
        var firstDropped = CommittedLength + accepted;
        _working.RemoveRange(firstDropped, _working.Count - firstDropped);
        _working.Add(next);
        CommittedLength += accepted + 1;
        QualifiedCount = 0;
        DraftCount = 0;
    }

    /// <summary>Drops the whole speculative tail (before a preemption or a mode change).</summary>
    public void DropTail()
    {
        _working.RemoveRange(CommittedLength, _working.Count - CommittedLength);
        QualifiedCount = 0;
        DraftCount = 0;
    }
}
