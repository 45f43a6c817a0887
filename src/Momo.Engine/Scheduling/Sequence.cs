using System.Runtime.InteropServices;
using System.Threading.Channels;
using Momo.Engine.Runtime;
using Momo.Engine.Sampling;
using Momo.Engine.Speculation;

namespace Momo.Engine.Scheduling;

/// <summary>
/// One request inside the engine. Its tokens live in one list laid out as
/// <c>[committed (prompt + output) | speculative tail]</c>: the tail holds qualified tokens and then draft tokens
/// (pyramid), or draft tokens (two-tier), each with the distribution it was sampled from in <see cref="TailRows"/>.
/// Invariant between phases: tier t's KV holds exactly <c>Working[0..Kv[t])</c>, and the last working token is in no KV.
/// </summary>
internal sealed class Sequence
{
    private readonly List<int> _working;

    public Sequence(GenerationRequest request, int slot, int[] cachedKv, int vocabulary, ChannelWriter<GenerationUpdate> output, OutputText text)
    {
        Request = request;
        Slot = slot;
        Mode = request.Speculation.Mode;
        Output = output;
        Text = text;
        _working = new List<int>(request.PromptTokens.Count + request.MaxTokens + SpeculationSettings.MaxQualifiedTokens + 2);
        _working.AddRange(request.PromptTokens);
        PromptLength = request.PromptTokens.Count;
        Array.Copy(cachedKv, Kv, TierSet.Count);
        Counters.CachedPromptTokens = cachedKv[(int)Tier.Target];
        CommittedLength = PromptLength;
        TailRows = new RowStore(vocabulary);
        VerifierRows = new RowStore(vocabulary);
        Distribution = new TokenDistribution(request.Sampling, vocabulary);
        Random = new RequestRandom(request.Sampling.Seed);
    }

    public GenerationRequest Request { get; }
    public int Slot { get; }
    public DecodingMode Mode { get; set; }
    public ChannelWriter<GenerationUpdate> Output { get; }
    public OutputText Text { get; }
    public int PromptLength { get; }
    public int CommittedLength { get; private set; }
    public int QualifiedCount { get; private set; }
    public int DraftCount { get; private set; }
    public int[] Kv { get; } = new int[TierSet.Count];
    public RowStore TailRows { get; }
    public RowStore VerifierRows { get; }
    public TokenDistribution Distribution { get; }
    public RequestRandom Random { get; }
    public StageCounters Counters { get; } = new();
    public RunningAcceptance DraftToQualifier { get; } = new();
    public RunningAcceptance QualifierToTarget { get; } = new();
    public RunningAcceptance DraftToTarget { get; } = new();

    /// <summary>γ₁ for this round: draft tokens per inner round (two-tier: per target call).</summary>
    public int DraftGoal { get; set; }

    /// <summary>Draft tokens still to propose in the current draft phase.</summary>
    public int DraftsWanted { get; set; }

    /// <summary>γ₂ for this round: qualified tokens to gather before the target verifies (pyramid).</summary>
    public int QualifiedGoal { get; set; }

    /// <summary>Set once a final update has been written; the engine then frees the slot.</summary>
    public bool Finished { get; set; }

    /// <summary>The engine failed this sequence; its KV is not trusted for reuse.</summary>
    public bool Failed { get; set; }

    /// <summary>The client went away; the sequence is freed without further output.</summary>
    public bool Cancelled { get; set; }

    /// <summary>Signalled when the client disconnects.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>When the request was submitted (Stopwatch timestamp).</summary>
    public long SubmittedTimestamp { get; init; }

    /// <summary>When tokens were last published (0 before the first).</summary>
    public long LastTokenTimestamp { get; set; }

    /// <summary>Preempted under KV pressure: holds no KV and waits until memory frees up.</summary>
    public bool Preempted { get; set; }

    public int WorkingLength => _working.Count;
    public int TailLength => _working.Count - CommittedLength;
    public int GeneratedCount => CommittedLength - PromptLength;
    public int RemainingTokens => Request.MaxTokens - GeneratedCount;
    public ReadOnlySpan<int> Working => CollectionsMarshal.AsSpan(_working);

    /// <summary>Output tokens before working index <paramref name="position"/>: the history the penalties look at.</summary>
    public ReadOnlySpan<int> HistoryBefore(int position) => Working[PromptLength..position];

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

    /// <summary>Marks the KV of every tier as holding at most <paramref name="length"/> tokens, truncating the models.</summary>
    public void TruncateKv(TierSet tiers, int length)
    {
        for (var t = 0; t < TierSet.Count; t++)
        {
            if (Kv[t] > length)
            {
                tiers[(Tier)t]!.Truncate(Slot, length);
                Kv[t] = length;
            }
        }
    }

    /// <summary>Frees this sequence's KV in one tier (after a degradation the tier is no longer used).</summary>
    public void ReleaseTier(TierSet tiers, Tier tier)
    {
        if (Kv[(int)tier] > 0)
        {
            tiers[tier]!.Truncate(Slot, 0);
            Kv[(int)tier] = 0;
        }
    }

    /// <summary>The statistics block as it stands now.</summary>
    public GenerationStatistics Statistics() => new()
    {
        Mode = Mode.ToApiName(),
        Degradations = [.. Counters.Degradations],
        PromptTokens = PromptLength,
        CachedPromptTokens = Counters.CachedPromptTokens,
        CompletionTokens = Text.CompletionTokens,
        DraftedTokens = Counters.DraftedTokens,
        QualifierAcceptedTokens = Counters.QualifierAcceptedTokens,
        TargetProposedTokens = Counters.TargetProposedTokens,
        TargetAcceptedTokens = Counters.TargetAcceptedTokens,
        TargetCalls = Counters.TargetCalls,
        Preemptions = Counters.Preemptions,
    };
}
