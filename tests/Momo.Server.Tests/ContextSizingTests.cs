using Momo.Gguf;
using Momo.Server.Hosting;
using Momo.Testing;

namespace Momo.Server.Tests;

/// <summary>The context per sequence: the model's trained context by default, capped by the KV memory budget;
/// configured values above the trained context are clamped with a warning.</summary>
public sealed class ContextSizingTests
{
    private const long Mib = 1024 * 1024;

    // KV bytes per token: draft 8 KiB, qualifier 24 KiB, target 96 KiB (128 KiB together).
    private static readonly (string, GgufModelShape)[] Tiers =
    [
        ("draft", new GgufModelShape("llama", 131_072, 8 * 1024)),
        ("qualifier", new GgufModelShape("llama", 131_072, 24 * 1024)),
        ("target", new GgufModelShape("qwen2", 32_768, 96 * 1024)),
    ];

    [Fact]
    public void Unconfigured_it_is_the_smallest_trained_context_when_the_budget_holds_it()
    {
        var choice = ContextSizing.Choose(null, maxSequences: 2, Tiers, budgetBytes: 16_384 * Mib);

        Assert.Equal(32_768, choice.Size); // 2 × 32,768 × 128 KiB = 8 GiB
        Assert.Null(choice.Warning);
        Assert.Contains("smallest trained context (target, 32768 tokens)", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unconfigured_it_is_capped_by_the_budget_in_steps_of_256_tokens()
    {
        var choice = ContextSizing.Choose(null, maxSequences: 8, Tiers, budgetBytes: 4_000 * Mib);

        Assert.Equal(3_840, choice.Size); // 4,000 MiB / (8 × 128 KiB) = 4,000 tokens, rounded down to 256s
        Assert.Contains("capped by the KV cache budget of 4000 MiB", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_budget_too_small_for_256_tokens_per_sequence_is_refused_naming_the_settings()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => ContextSizing.Choose(null, maxSequences: 8, Tiers, budgetBytes: 200 * Mib));

        Assert.Contains("Momo:KvBudgetMiB", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Momo:MaxSequences", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_context_above_the_trained_one_is_clamped_with_a_warning()
    {
        var choice = ContextSizing.Choose(65_536, maxSequences: 1, Tiers, budgetBytes: 64_000 * Mib);

        Assert.Equal(32_768, choice.Size);
        Assert.Equal("Momo:ContextSize 65536 is above the target model's trained context 32768; using 32768.", choice.Warning);
    }

    [Fact]
    public void A_configured_context_within_the_trained_one_is_kept_even_over_the_budget_with_a_warning()
    {
        var choice = ContextSizing.Choose(16_384, maxSequences: 8, Tiers, budgetBytes: 1_000 * Mib);

        Assert.Equal(16_384, choice.Size);
        Assert.Contains("over the budget of 1000 MiB", choice.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void The_kv_bytes_per_token_of_a_forged_file_follow_its_layers_and_kv_heads()
    {
        var shape = GgufModelShape.FromMetadata(GgufReader.ReadFile(TestFamilies.Llama3Bpe.TargetPath).Metadata);

        Assert.Equal(8_192, shape.TrainedContext);
        Assert.Equal(3 * 2 * 64 * 2, shape.KvBytesPerToken); // 3 layers × (K + V) × 64 wide × f16
    }

    [Fact]
    public async Task A_server_without_a_configured_context_serves_the_trained_context_and_clamps_a_larger_one()
    {
        await using (var unconfigured = await ServerInstance.StartAsync(TestFamilies.Llama3Bpe, new Dictionary<string, string?> { ["Momo:ContextSize"] = null }))
        {
            Assert.Equal(8_192, unconfigured.Engine.Options.ContextPerSequence);
        }
        await using var clamped = await ServerInstance.StartAsync(TestFamilies.Llama3Bpe, new Dictionary<string, string?> { ["Momo:ContextSize"] = "100000" });
        Assert.Equal(8_192, clamped.Engine.Options.ContextPerSequence);
    }

    [Fact]
    public async Task A_server_with_a_kv_budget_caps_the_default_context_to_what_fits()
    {
        // Tiny: 1 + 2 + 4 layers × (K + V) × 256 wide × f16 = 7 KiB per token; 4 sequences: 28 KiB per context token.
        await using var server = await ServerInstance.StartAsync(
            TestFamilies.Tiny, new Dictionary<string, string?> { ["Momo:ContextSize"] = null, ["Momo:KvBudgetMiB"] = "64" });

        Assert.Equal(2_304, server.Engine.Options.ContextPerSequence); // 64 MiB / 28 KiB = 2,340, in steps of 256
    }
}
