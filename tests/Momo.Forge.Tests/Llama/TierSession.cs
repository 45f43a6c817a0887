using LLama;
using LLama.Common;
using LLama.Native;

namespace Momo.Forge.Tests.Llama;

/// <summary>One forged tier loaded in LLamaSharp (CPU), with helpers that decode a whole sequence and return the logits
/// at every position.</summary>
internal sealed class TierSession : IDisposable
{
    public LLamaWeights Weights { get; }
    public LLamaContext Context { get; }

    public TierSession(string path, uint contextSize = 1024)
    {
        var p = new ModelParams(path) { ContextSize = contextSize, GpuLayerCount = 0, BatchSize = contextSize, UBatchSize = contextSize, SeqMax = 1 };
        Weights = LLamaWeights.LoadFromFile(p);
        Context = Weights.CreateContext(p);
    }

    /// <summary>Logits [tokens, vocab] after each token of <paramref name="tokens"/>, decoded in one batch from an empty cache.</summary>
    public float[][] Logits(IReadOnlyList<int> tokens)
    {
        Context.NativeHandle.MemoryClear(true);
        var batch = new LLamaBatch();
        var indices = new int[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            indices[i] = batch.Add((LLamaToken)tokens[i], i, (LLamaSeqId)0, true);
        }

        var result = Context.NativeHandle.Decode(batch);
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"decode failed: {result}");
        }

        return indices.Select(ix => Context.NativeHandle.GetLogitsIth(ix).ToArray()).ToArray();
    }

    /// <summary>Greedy continuation of <paramref name="prompt"/> for <paramref name="count"/> tokens, one decode per token.</summary>
    public List<int> Greedy(IReadOnlyList<int> prompt, int count)
    {
        var sequence = prompt.ToList();
        var output = new List<int>();
        var logits = Logits(prompt)[^1];
        for (var i = 0; i < count; i++)
        {
            var next = ArgMax(logits);
            output.Add(next);
            var batch = new LLamaBatch();
            var ix = batch.Add((LLamaToken)next, sequence.Count, (LLamaSeqId)0, true);
            sequence.Add(next);
            if (Context.NativeHandle.Decode(batch) != DecodeResult.Ok)
            {
                throw new InvalidOperationException("decode failed");
            }

            logits = Context.NativeHandle.GetLogitsIth(ix).ToArray();
        }
        return output;
    }

    public static int ArgMax(float[] x)
    {
        var best = 0;
        for (var i = 1; i < x.Length; i++)
        {
            if (x[i] > x[best])
            {
                best = i;
            }
        }

        return best;
    }

    public void Dispose()
    {
        Context.Dispose();
        Weights.Dispose();
    }
}
