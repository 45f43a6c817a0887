using Momo.Engine.Runtime;
using Momo.Testing;

namespace Momo.Runtime.Tests;

/// <summary>The flash-attention setting reaches llama.cpp: its fused kernel rounds differently (it multiplies in half
/// precision on the CPU), so the same prompt gives slightly different logits with it and without it, and llama.cpp's
/// own choice (Auto) is the fused kernel wherever the CPU backend supports it.</summary>
public sealed class FlashAttentionTests
{
    [Fact]
    public void Disabled_changes_the_logits_by_rounding_only_and_auto_is_the_fused_kernel_on_the_cpu()
    {
        var enabled = LastLogits(FlashAttentionMode.Enabled);
        var disabled = LastLogits(FlashAttentionMode.Disabled);
        var auto = LastLogits(FlashAttentionMode.Auto);

        var largest = enabled.Zip(disabled, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(largest > 0, "the logits are bit-identical: the setting did not reach llama.cpp");
        Assert.True(largest < 0.05, $"the kernels disagree by {largest}, more than rounding");
        Assert.Equal(enabled, auto);
    }

    private static float[] LastLogits(FlashAttentionMode mode)
    {
        using var model = LlamaTierModel.Load(new TierLoadOptions(
            "target", TestFamilies.Tiny.TargetPath, GpuLayers: 0, KvCells: 512, MaxSequences: 1, Threads: 2, BatchTokens: 512, mode));
        var prompt = model.Vocabulary.Tokenize("The old woman went to the river to wash clothes, and a great peach came", addBos: true, parseSpecial: false);
        var batch = new DecodeBatch();
        var handle = batch.AddRange(prompt, 0, 0, logitsForLast: 1);
        model.Decode(batch);
        return model.Logits(handle).ToArray();
    }
}
