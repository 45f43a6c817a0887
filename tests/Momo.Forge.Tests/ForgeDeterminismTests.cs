using Momo.Gguf;

namespace Momo.Forge.Tests;

public sealed class ForgeDeterminismTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "momo-forge-det-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [InlineData("tiny")]
    [InlineData("copy-tiny")]
    public void Forging_twice_with_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(string name)
    {
        var preset = FamilyPreset.Named(name);
        var a = FamilyForge.Forge(Path.Combine(_root, name + "-a"), preset, 7);
        var b = FamilyForge.Forge(Path.Combine(_root, name + "-b"), preset, 7);
        var c = FamilyForge.Forge(Path.Combine(_root, name + "-c"), preset, 8);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(File.ReadAllBytes(a.Paths[i]), File.ReadAllBytes(b.Paths[i]));
            Assert.NotEqual(File.ReadAllBytes(a.Paths[i]), File.ReadAllBytes(c.Paths[i]));
        }
    }

    [Fact]
    public void The_copy_family_s_draft_shares_the_circuit_blocks_with_the_target()
    {
        var a = FamilyForge.Forge(Path.Combine(_root, "copy"), FamilyPreset.CopyTiny, 7);
        var draft = GgufReader.ReadFile(a.DraftPath);
        var target = GgufReader.ReadFile(a.TargetPath);
        Assert.Equal(2u, draft.Metadata.GetUInt32("llama.block_count"));
        Assert.Equal(GgufReader.ReadTensor(a.DraftPath, draft, "blk.1.attn_k.weight"), GgufReader.ReadTensor(a.TargetPath, target, "blk.1.attn_k.weight"));
    }

    [Fact]
    public void A_copy_preset_with_a_one_block_draft_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => (FamilyPreset.CopyTiny with { DraftLayers = 1 }).Validate());
        Assert.Contains("copy circuit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureFamily_reuses_matching_files_and_reforges_when_the_seed_changes()
    {
        var dir = Path.Combine(_root, "ensure");
        Assert.False(FamilyForge.EnsureFamily(dir, FamilyPreset.Tiny, 1).Reused);
        Assert.True(FamilyForge.EnsureFamily(dir, FamilyPreset.Tiny, 1).Reused);
        Assert.False(FamilyForge.EnsureFamily(dir, FamilyPreset.Tiny, 2).Reused);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp*"));
    }

    [Fact]
    public void EnsureFamily_reforges_when_the_preset_changes_under_the_same_name_and_seed()
    {
        var dir = Path.Combine(_root, "ensure-preset");
        Assert.False(FamilyForge.EnsureFamily(dir, FamilyPreset.Tiny, 1).Reused);
        Assert.False(FamilyForge.EnsureFamily(dir, FamilyPreset.Tiny with { TargetHeadNoise = 0.5f }, 1).Reused);
        Assert.True(FamilyForge.EnsureFamily(dir, FamilyPreset.Tiny with { TargetHeadNoise = 0.5f }, 1).Reused);
    }

    [Fact]
    public void Each_tier_s_output_head_reads_the_noise_columns_at_its_own_scale_and_the_bigram_columns_unchanged()
    {
        var preset = FamilyPreset.Tiny with { Name = "tiny-head-noise", QualifierHeadNoise = 0.5f, TargetHeadNoise = 0.25f };
        var f = FamilyForge.Forge(Path.Combine(_root, "head-noise"), preset, 3);
        var heads = f.Paths.Select(path => GgufReader.ReadTensor(path, GgufReader.ReadFile(path), "output.weight")).ToArray();
        var classes = FamilyForge.Vocabulary(preset).ClassCount;
        for (var i = 0; i < heads[0].Length; i++)
        {
            var (draft, qualifier, target) = (heads[0][i], heads[1][i], heads[2][i]);
            var noiseColumn = i % preset.EmbeddingLength >= classes;
            Assert.Equal(noiseColumn ? 0.5f * draft : draft, qualifier, 1e-6f);
            Assert.Equal(noiseColumn ? 0.25f * draft : draft, target, 1e-6f);
        }
        Assert.Contains(heads[0].Select((x, i) => (x, i)), t => t.i % preset.EmbeddingLength >= classes && t.x != 0);
    }

    [Fact]
    public void The_tiers_share_one_vocabulary_and_differ_only_in_block_count()
    {
        var f = FamilyForge.Forge(Path.Combine(_root, "v"), FamilyPreset.Tiny, 3);
        var files = f.Paths.Select(GgufReader.ReadFile).ToArray();
        var vocabs = files.Select(x => GgufVocabulary.FromMetadata(x.Metadata)).ToArray();
        Assert.Empty(VocabularyValidator.Validate(vocabs[2]));
        Assert.Null(VocabularyValidator.FirstDifference(vocabs[0], vocabs[2]));
        Assert.Null(VocabularyValidator.FirstDifference(vocabs[1], vocabs[2]));
        Assert.Equal([1u, 2u, 4u], files.Select(x => x.Metadata.GetUInt32("llama.block_count")));
        Assert.Equal(GgufReader.ReadTensor(f.DraftPath, files[0], "blk.0.attn_q.weight"), GgufReader.ReadTensor(f.TargetPath, files[2], "blk.0.attn_q.weight"));
    }
}
