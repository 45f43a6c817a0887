using Momo.Engine.Runtime;
using Momo.Engine.Sequences;

namespace Momo.Engine.Decoding;

/// <summary>The verifier's distributions for a run of proposals, shared by the qualifier's and the target's checks.</summary>
internal static class VerifierRows
{
    /// <summary>
    /// One row per proposal position plus the bonus position, for <paramref name="count"/> proposals decoded from batch
    /// handle <paramref name="firstHandle"/> starting at working index <paramref name="firstPosition"/>, written into
    /// the sequence's verifier rows.
    /// </summary>
    /// <returns>[count + 1, vocabulary] rows.</returns>
    public static Span<float> Compute(Sequence sequence, ITierModel model, int firstHandle, int firstPosition, int count)
    {
        var vocabulary = model.VocabularySize;
        var rows = sequence.Sampler.VerifierRows.Rows(0, count + 1);
        for (var j = 0; j <= count; j++)
        {
            sequence.ComputeRow(model.Logits(firstHandle + j), firstPosition + j, rows.Slice(j * vocabulary, vocabulary));
        }
        return rows;
    }

    /// <summary>1 − TV(proposal row, verifier row) at each of the first <paramref name="count"/> positions: the chance each proposal is accepted in its context.</summary>
    /// <returns>[count] acceptances.</returns>
    public static double[] ExpectedAcceptance(ReadOnlySpan<float> proposals, ReadOnlySpan<float> verifier, int vocabulary, int count)
    {
        var byPosition = new double[count];
        for (var j = 0; j < count; j++)
        {
            byPosition[j] = 1 - Speculation.FuzzyAcceptance.TotalVariation(proposals.Slice(j * vocabulary, vocabulary), verifier.Slice(j * vocabulary, vocabulary));
        }
        return byPosition;
    }
}
