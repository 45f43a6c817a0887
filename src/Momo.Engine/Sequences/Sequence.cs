using System.Threading.Channels;
using Momo.Engine.Publishing;
using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Engine.Scheduling;
using Momo.Engine.Speculation;
using Momo.Grammar.Masks;

namespace Momo.Engine.Sequences;

/// <summary>
/// One request inside the engine: its identity and state, composed of small parts with one concern each
/// (<see cref="Tokens"/>: the committed text and the speculative tail; <see cref="Sampler"/>: rows and randomness;
/// <see cref="Acceptance"/>: running estimates; <see cref="Output"/>: the reader's channel and text). Invariant between
/// phases: tier t's KV holds exactly <c>Tokens.Working[0..ledger.Cached(Slot, t))</c> (see <see cref="KvLedger"/>),
/// and the last working token is in no KV; the tail changes only through <see cref="TailKeeper"/>, which keeps it.
/// </summary>
internal sealed class Sequence
{
    public Sequence(
        GenerationRequest request, int slot, int cachedPromptTokens, int vocabulary, ChannelWriter<GenerationUpdate> output, OutputText text,
        AcceptancePriors priors, GrammarTrack? grammar)
    {
        Request = request;
        Slot = slot;
        Mode = request.Speculation.Mode;
        Output = new SequenceOutput(output, text, keepCompletion: request.StopLabel is not null);
        Tokens = new SequenceTokens(request.PromptTokens, request.MaxTokens, vocabulary);
        Counters.CachedPromptTokens = cachedPromptTokens;
        Sampler = new SequenceSampler(request.Sampling, vocabulary, grammar);
        Acceptance = new SequenceAcceptance(priors.For(request.Sampling.IsGreedy));
    }

    public GenerationRequest Request { get; }
    public int Slot { get; }
    public DecodingMode Mode { get; set; }

    /// <summary>The prompt, the committed output and the speculative tail.</summary>
    public SequenceTokens Tokens { get; }

    /// <summary>The reader's channel, the published text, timing.</summary>
    public SequenceOutput Output { get; }

    /// <summary>Logits → rows (sampling transforms, grammar) and the random stream.</summary>
    public SequenceSampler Sampler { get; }

    /// <summary>Running acceptance per stage, and <c>auto</c>'s probing counters.</summary>
    public SequenceAcceptance Acceptance { get; }

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

    /// <summary>Writes the request's distribution at working index <paramref name="position"/> from one tier's <paramref name="logits"/>.</summary>
    public void ComputeRow(ReadOnlySpan<float> logits, int position, Span<float> row) => Sampler.ComputeRow(logits, Tokens.HistoryBefore(position), row);

    /// <summary>The statistics block as it stands now.</summary>
    public GenerationStatistics Statistics() => new()
    {
        Mode = Mode.ToApiName(),
        Degradations = [.. Counters.Degradations],
        PromptTokens = Tokens.PromptLength,
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
