using System.Diagnostics;
using System.Text.Json;
using Momo.Forge.Corpus;
using Momo.Gguf;

namespace Momo.Forge;

/// <summary>Paths and provenance of a forged draft/qualifier/target trio.</summary>
public sealed record ForgedFamily(string Directory, string DraftPath, string QualifierPath, string TargetPath,
    FamilyPreset Preset, int Seed, bool Reused, TimeSpan Elapsed)
{
    /// <summary>The three paths in tier order: draft, qualifier, target.</summary>
    public IReadOnlyList<string> Paths => [DraftPath, QualifierPath, TargetPath];
}

/// <summary>Forges a family of three llama-architecture GGUF models over one vocabulary (the shipped corpus's SPM words,
/// or a real byte-level BPE one), deterministically from a seed (same preset and seed: same bytes).</summary>
public static class FamilyForge
{
    /// <summary>Bumped whenever the forged bytes change, so <see cref="EnsureFamily"/> re-forges stale files.</summary>
    public const string ForgeVersion = "3";

    /// <summary>File names of the tiers inside a family directory.</summary>
    public const string DraftFile = "draft.gguf", QualifierFile = "qualifier.gguf", TargetFile = "target.gguf", ManifestFile = "family.json";

    /// <summary>ChatML, so a turn ends with &lt;|im_end|&gt; (the end-of-generation token).</summary>
    public const string ChatTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /// <summary>The vocabulary a preset forges before padding (also useful to tests: token ids of corpus words).</summary>
    public static ForgeVocabulary Vocabulary(FamilyPreset preset) => preset.Tokenizer switch
    {
        ForgeTokenizer.CorpusWords => ForgeVocabulary.Build(CorpusText.Paragraphs(CorpusText.Momotaro), preset.MaxWords),
        ForgeTokenizer.AgentTranscripts => ForgeVocabulary.BuildAgent(),
        _ => Bpe.BpeVocabulary.Build(preset.Tokenizer),
    };

    /// <summary>The bigram head's greedy choice after each context class of the preset's vocabulary (before any block's
    /// noise): what a forged model says where nothing else moves its logits.</summary>
    public static int[] BigramChoices(FamilyPreset preset)
    {
        var vocab = Vocabulary(preset);
        return [.. BigramHead.Build(vocab, preset.Smoothing, preset.TieMargin, preset.LogitScale).Select(row => Array.IndexOf(row, row.Max()))];
    }

    /// <summary>Reuses the family in <paramref name="directory"/> when its manifest matches preset, seed and forge
    /// version and all files are present with their recorded sizes; otherwise forges it anew.</summary>
    public static ForgedFamily EnsureFamily(string directory, FamilyPreset preset, int seed)
    {
        var manifestPath = Path.Combine(directory, ManifestFile);
        if (File.Exists(manifestPath) && Manifest.Matches(File.ReadAllText(manifestPath), preset, seed, directory))
        {
            return Result(directory, preset, seed, reused: true, TimeSpan.Zero);
        }

        return Forge(directory, preset, seed);
    }

    /// <summary>Forges the three files into <paramref name="directory"/> (each written to a temporary name and renamed),
    /// then writes the manifest.</summary>
    public static ForgedFamily Forge(string directory, FamilyPreset preset, int seed)
    {
        preset.Validate();
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(directory);
        var manifestPath = Path.Combine(directory, ManifestFile);
        File.Delete(manifestPath); // until the new files are complete, nothing may claim to describe them
        // Weights are built once for the most-padded vocabulary; each tier keeps the rows of its own size.
        var vocab = Vocabulary(preset).WithPadding(Math.Max(preset.DraftPadding, Math.Max(preset.QualifierPadding, preset.TargetPadding)));
        var weights = FamilyWeights.Build(preset, vocab, seed);
        var tiers = new[]
        {
            (DraftFile, preset.DraftLayers, "draft", preset.DraftPadding),
            (QualifierFile, preset.QualifierLayers, "qualifier", preset.QualifierPadding),
            (TargetFile, preset.TargetLayers, "target", preset.TargetPadding),
        };
        Parallel.ForEach(tiers, new ParallelOptions { MaxDegreeOfParallelism = 2 }, t =>
            TierWriter(preset, vocab, weights, t.Item2, t.Item3, vocab.BaseSize + t.Item4).WriteFile(Path.Combine(directory, t.Item1)));
        var temp = manifestPath + ".tmp";
        File.WriteAllText(temp, Manifest.Create(preset, seed, directory));
        File.Move(temp, manifestPath, overwrite: true);
        return Result(directory, preset, seed, reused: false, clock.Elapsed);
    }

    /// <summary>A writer for one tier with <paramref name="layers"/> blocks and the first <paramref name="size"/> tokens of
    /// <paramref name="vocab"/> (null: all of them); exposed for tests and benchmarks.</summary>
    internal static GgufWriter TierWriter(FamilyPreset p, ForgeVocabulary vocab, FamilyWeights weights, int layers, string tier, int? size = null)
    {
        var n = size ?? vocab.Tokens.Count;
        var w = new GgufWriter();
        w.Metadata
            .Set(GgufKeys.Architecture, "llama")
            .Set(GgufKeys.Name, $"momo-{p.Name}-{tier}")
            .Set(GgufKeys.Alignment, (uint)GgufWriter.DefaultAlignment)
            .Set("llama.context_length", (uint)p.ContextLength)
            .Set("llama.embedding_length", (uint)p.EmbeddingLength)
            .Set("llama.block_count", (uint)layers)
            .Set("llama.feed_forward_length", (uint)p.FeedForwardLength)
            .Set("llama.attention.head_count", (uint)p.HeadCount)
            .Set("llama.attention.head_count_kv", (uint)p.HeadCountKv)
            .Set("llama.rope.dimension_count", (uint)(p.EmbeddingLength / p.HeadCount))
            .Set("llama.rope.freq_base", p.RopeFreqBase)
            .Set("llama.attention.layer_norm_rms_epsilon", 1e-5f)
            .Set("llama.vocab_size", (uint)n)
            .Set(GgufKeys.TokenizerModel, vocab.TokenizerModel);
        if (vocab.PreTokenizer is { } pre)
        {
            w.Metadata.Set(GgufKeys.PreTokenizer, pre);
        }
        w.Metadata.Set(GgufKeys.Tokens, vocab.Tokens.Take(n).ToArray());
        if (vocab.TokenizerModel == "llama")
        {
            w.Metadata.Set(GgufKeys.Scores, vocab.Scores.Take(n).ToArray());
        }
        w.Metadata.Set(GgufKeys.TokenTypes, vocab.Types.Take(n).ToArray());
        if (vocab.Merges.Count > 0)
        {
            w.Metadata.Set(GgufKeys.Merges, vocab.Merges.ToArray());
        }
        var specials = vocab.Specials;
        foreach (var (key, id) in new[]
        {
            (GgufKeys.BosId, specials.Bos), (GgufKeys.EosId, specials.Eos), (GgufKeys.EotId, specials.Eot), (GgufKeys.EomId, specials.Eom),
            (GgufKeys.UnkId, specials.Unk), (GgufKeys.PaddingId, specials.Padding),
        })
        {
            if (id is { } value)
            {
                w.Metadata.Set(key, (uint)value);
            }
        }
        w.Metadata
            .Set(GgufKeys.AddBos, specials.AddBos)
            .Set("tokenizer.ggml.add_eos_token", false)
            .Set(GgufKeys.ChatTemplate, p.ChatTemplate ?? vocab.ChatTemplate);
        foreach (var (name, dims, data) in weights.Shared.Concat(weights.Blocks.Take(layers).SelectMany(b => b)))
        {
            // token_embd and output are [n_embd, vocabulary] with one token per row: a smaller tier keeps the first rows.
            var perToken = dims.Length == 2 && dims[1] == vocab.Tokens.Count;
            var shape = perToken ? [dims[0], n] : dims;
            var tensor = name == "output.weight" ? weights.OutputHead(p.HeadNoise(tier)) : data;
            var kept = perToken && n < vocab.Tokens.Count ? tensor[..(int)(dims[0] * n)] : tensor;
            w.AddTensor(name, dims.Length == 1 ? GgmlType.F32 : p.WeightType, shape, kept);
        }

        return w;
    }

    private static ForgedFamily Result(string dir, FamilyPreset preset, int seed, bool reused, TimeSpan elapsed) => new(
        Path.GetFullPath(dir), Path.GetFullPath(Path.Combine(dir, DraftFile)), Path.GetFullPath(Path.Combine(dir, QualifierFile)),
        Path.GetFullPath(Path.Combine(dir, TargetFile)), preset, seed, reused, elapsed);

    /// <summary>family.json: the preset, seed and forge version the files were made from, and their sizes.</summary>
    private static class Manifest
    {
        private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

        public static string Create(FamilyPreset preset, int seed, string dir) => JsonSerializer.Serialize(new
        {
            forgeVersion = ForgeVersion,
            seed,
            preset,
            files = Files(dir),
        }, Indented);

        public static bool Matches(string json, FamilyPreset preset, int seed, string dir)
        {
            try
            {
                return json == Create(preset, seed, dir);
            }
            catch (IOException)
            {
                return false;
            }
        }

        private static Dictionary<string, long> Files(string dir) => new[] { DraftFile, QualifierFile, TargetFile }
            .ToDictionary(f => f, f => new FileInfo(Path.Combine(dir, f)) is { Exists: true } fi ? fi.Length : -1);
    }
}
