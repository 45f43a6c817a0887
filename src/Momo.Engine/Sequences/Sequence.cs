using System.Runtime.InteropServices;
using System.Threading.Channels;
using Momo.Engine.Grammar.Masks;
using Momo.Engine.Publishing;
using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Engine.Scheduling;
using Momo.Engine.Speculation;

namespace Momo.Engine.Sequences;

/// <summary>
/// One request inside the engine: its identity, state and token state, with its concerns in small parts of their own
/// (<see cref="Sampler"/>: rows and randomness; <see cref="Acceptance"/>: running estimates; <see cref="Output"/>: the
/// reader's channel and text). Its tokens live in one list laid out as <c>[committed (prompt + output) | speculative
/// tail]</c>: the tail holds qualified tokens and then draft tokens (pyramid), or proposals (two-tier, lookup), each
/// with the distribution it was sampled from in <see cref="TailRows"/>. Invariant between phases: tier t's KV holds
/// exactly <c>Working[0..ledger.Cached(Slot, t))</c> (see <see cref="KvLedger"/>), and the last working token is in no
/// KV. The tail changes only through <see cref="TailKeeper"/>, which keeps that invariant (appending proposals aside).
/// </summary>
internal sealed class Sequence
{
    private readonly List<int> _working;

    public Sequence(
        GenerationRequest request, int slot, int cachedPromptTokens, int vocabulary, ChannelWriter<GenerationUpdate> output, OutputText text,
        AcceptancePriors priors, GrammarTrack? grammar)
    {
        Request = request;
        Slot = slot;
        Mode = request.Speculation.Mode;
        Output = new SequenceOutput(output, text, keepCompletion: request.StopLabel is not null);
        _working = new List<int>(request.PromptTokens.Count + request.MaxTokens + SpeculationSettings.MaxQualifiedTokens + 2);
        _working.AddRange(request.PromptTokens);
        PromptLength = request.PromptTokens.Count;
        Counters.CachedPromptTokens = cachedPromptTokens;
        CommittedLength = PromptLength;
        TailRows = new RowStore(vocabulary);
        VerifierRows = new RowStore(vocabulary);
        Sampler = new SequenceSampler(request.Sampling, vocabulary, grammar);
        Acceptance = new SequenceAcceptance(priors.For(request.Sampling.IsGreedy));
    }

    public GenerationRequest Request { get; }
    public int Slot { get; }
    public DecodingMode Mode { get; set; }

    /// <summary>The reader's channel, the published text, timing.</summary>
    public SequenceOutput Output { get; }

    /// <summary>Logits → rows (sampling transforms, grammar) and the random stream.</summary>
    public SequenceSampler Sampler { get; }

    /// <summary>Running acceptance per stage, and <c>auto</c>'s probing counters.</summary>
    public SequenceAcceptance Acceptance { get; }

    public int PromptLength { get; }
    public int CommittedLength { get; private set; }
    public int QualifiedCount { get; private set; }
    public int DraftCount { get; private set; }
    public RowStore TailRows { get; }
    public RowStore VerifierRows { get; }
    public StageCounters Counters { get; } = new();

    /// <summary>Prompt lookup over this sequence's committed text.</summary>
    public NgramLookup Lookup { get; } = new();

    /// <summary>Where the sequence is in its life; the <see cref="Scheduler"/> alone changes it.</summary>
    public SequenceState State { get; set; }

    /// <summary>Whether its final update has been written (the engine then frees the slot).</summary>
    public bool IsDone => State is SequenceState.Finished or SequenceState.Failed or SequenceState.Cancelled;

    /// <summary>Signalled when the client disconnects.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>When the request was submitted (Stopwatch timestamp).</summary>
    public long SubmittedTimestamp { get; init; }

    public int WorkingLength => _working.Count;
    public int TailLength => _working.Count - CommittedLength;
    public int GeneratedCount => CommittedLength - PromptLength;
    public int RemainingTokens => Request.MaxTokens - GeneratedCount;
    public ReadOnlySpan<int> Working => CollectionsMarshal.AsSpan(_working);

    /// <summary>Writes the request's distribution at working index <paramref name="position"/> from one tier's <paramref name="logits"/>.</summary>
    public void ComputeRow(ReadOnlySpan<float> logits, int position, Span<float> row) => Sampler.ComputeRow(logits, HistoryBefore(position), row);

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

    /// <summary>The committed text: prompt and generated tokens.</summary>
    public ReadOnlySpan<int> Committed => Working[..CommittedLength];

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
        Sampler.Grammar?.ForgetMasksBefore(GeneratedCount);
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

    /// <summary>The statistics block as it stands now.</summary>
    public GenerationStatistics Statistics() => new()
    {
        Mode = Mode.ToApiName(),
        Degradations = [.. Counters.Degradations],
        PromptTokens = PromptLength,
        CachedPromptTokens = Counters.CachedPromptTokens,
        CompletionTokens = Output.Text.CompletionTokens,
        DraftedTokens = Counters.DraftedTokens,
        QualifierProposedTokens = Counters.QualifierProposedTokens,
        QualifierAcceptedTokens = Counters.QualifierAcceptedTokens,
        LookupProposedTokens = Counters.LookupProposedTokens,
        LookupAcceptedTokens = Counters.LookupAcceptedTokens,
        TargetProposedTokens = Counters.TargetProposedTokens,
        TargetAcceptedTokens = Counters.TargetAcceptedTokens,
        TargetCalls = Counters.TargetCalls,
        Preemptions = Counters.Preemptions,
    };
}
