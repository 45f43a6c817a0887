using Momo.Engine.Sampling;
using Momo.Grammar.Masks;

namespace Momo.Engine.Sequences;

/// <summary>
/// How a sequence turns any tier's logits into probability rows, and its random stream: the request's sampling
/// transforms, its output grammar (null for free text) and its seeded randomness, which every acceptance test draws from.
/// </summary>
internal sealed class SequenceSampler(SamplingParameters sampling, int vocabulary, GrammarTrack? grammar)
{
    public TokenDistribution Distribution { get; } = new(sampling, vocabulary);
    public RequestRandom Random { get; } = new(sampling.Seed);

    /// <summary>Scratch rows for a verifier's distributions over a run of proposals (qualifier or target), rewritten by each verification.</summary>
    public RowStore VerifierRows { get; } = new(vocabulary);

    /// <summary>The output grammar's states and masks by position; null when the output is free text.</summary>
    public GrammarTrack? Grammar => grammar;

    /// <summary>
    /// Writes the distribution after output <paramref name="history"/> from one tier's <paramref name="logits"/>: every
    /// tier's row at a position goes through here, so all see the same penalties and the same grammar mask (computed
    /// once per position, from the output before it).
    /// </summary>
    public void ComputeRow(ReadOnlySpan<float> logits, ReadOnlySpan<int> history, Span<float> row) =>
        Distribution.Compute(logits, history, row, grammar is null ? default : grammar.MaskAfter(history));
}
