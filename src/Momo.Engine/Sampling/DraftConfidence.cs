using System.Numerics.Tensors;

namespace Momo.Engine.Sampling;

/// <summary>
/// How sure the draft is of its proposal: the probability of its most likely token. Drafting on past an unsure
/// position mostly buys tokens the verifier rejects, so a round stops there (llama.cpp's draft <c>p_min</c>). The rule
/// looks at the draft's rows only, so the verified output stays exactly the target's.
/// </summary>
internal sealed class DraftConfidence
{
    private float[] _scratch = [];

    /// <summary>
    /// The top probability at a draft position: of the request's own distribution <paramref name="row"/>, or, where
    /// that is one-hot (greedy), of the softmax of the raw <paramref name="logits"/>.
    /// </summary>
    public float TopProbability(ReadOnlySpan<float> logits, ReadOnlySpan<float> row, bool greedy)
    {
        if (!greedy)
        {
            return TensorPrimitives.Max(row);
        }
        if (_scratch.Length < logits.Length)
        {
            _scratch = new float[logits.Length];
        }
        var shifted = _scratch.AsSpan(0, logits.Length);
        // p_top = 1 / Σ exp(l − l_max); padding ids at −∞ add exactly 0.
        TensorPrimitives.Subtract(logits, TensorPrimitives.Max(logits), shifted);
        TensorPrimitives.Exp(shifted, shifted);
        return 1f / TensorPrimitives.Sum(shifted);
    }
}
