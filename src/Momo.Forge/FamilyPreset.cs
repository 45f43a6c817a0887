using Momo.Gguf;

namespace Momo.Forge;

/// <summary>The knobs of a forged model family. Tiers share vocabulary, width, embeddings and the output head's bigram
/// columns; the qualifier is the target's first <see cref="QualifierLayers"/> blocks and the draft its first
/// <see cref="DraftLayers"/>. Each block adds context-dependent logit noise of standard deviation about
/// <see cref="PerturbationScale"/> as the draft's head reads it, so with the default head noise tiers differ by roughly
/// PerturbationScale × sqrt(layer difference) in logit units.</summary>
/// <param name="Name">Preset name used on the command line and in the manifest.</param>
/// <param name="MaxWords">Keep only this many most frequent corpus words (null: all).</param>
/// <param name="EmbeddingLength">n_embd; a multiple of 64, at least the number of context classes + 32.</param>
/// <param name="FeedForwardLength">n_ff.</param>
/// <param name="HeadCount">Attention heads (n_embd must divide evenly).</param>
/// <param name="HeadCountKv">Key/value heads (grouped-query attention when fewer than <paramref name="HeadCount"/>).</param>
/// <param name="DraftLayers">Blocks in the draft.</param>
/// <param name="QualifierLayers">Blocks in the qualifier.</param>
/// <param name="TargetLayers">Blocks in the target.</param>
/// <param name="PerturbationScale">Standard deviation of the logit noise each block adds.</param>
/// <param name="TieMargin">Minimum top-1 minus top-2 logit gap of every bigram row before perturbation.</param>
/// <param name="WeightType">Type of the matrices (F32, F16 or Q8_0); norms are always F32.</param>
/// <param name="ContextLength">llama.context_length.</param>
/// <param name="Smoothing">Add-k smoothing of the bigram counts over emittable tokens.</param>
/// <param name="Tokenizer">The vocabulary: the corpus's SPM words, or a real byte-level BPE one (see <see cref="ForgeTokenizer"/>).</param>
/// <param name="DraftPadding">Unused tokens appended to the draft's vocabulary (real families pad larger models').</param>
/// <param name="QualifierPadding">Unused tokens appended to the qualifier's vocabulary.</param>
/// <param name="TargetPadding">Unused tokens appended to the target's vocabulary.</param>
/// <param name="ChatTemplate">tokenizer.chat_template to write instead of the vocabulary's own (null: its own), so a
/// family can carry another model family's chat format.</param>
/// <param name="RopeFreqBase">llama.rope.freq_base. The agent family raises it so that its memory head's slowest rotary
/// pair does not turn over a long context (see <see cref="ContextMemory"/>).</param>
/// <param name="CopyCircuit">Whether blocks 0 and 1 carry the induction circuit that copies quoted text (see
/// <see cref="Momo.Forge.CopyCircuit"/>); the draft then needs at least 2 blocks.</param>
/// <param name="LogitScale">Multiplies the bigram head's log-probabilities (1: the corpus's own distribution). The agent
/// family is sharpened so that sampling at temperature 1, which clients that send no temperature get (Claude Code,
/// Codex), picks the greedy token but with negligible probability, even where a grammar rules the top one out.</param>
/// <param name="QualifierHeadNoise">How strongly the qualifier's output head reads the blocks' noise, relative to the
/// draft's (1: the same head).</param>
/// <param name="TargetHeadNoise">How strongly the target's output head reads the blocks' noise, relative to the draft's.
/// Below 1 the target stays close to the bigram head, whose top-2 margins are <paramref name="TieMargin"/> wide, so its
/// greedy choices survive batch-shape rounding while the noisier draft still disagrees with it.</param>
public sealed record FamilyPreset(
    string Name,
    int? MaxWords,
    int EmbeddingLength,
    int FeedForwardLength,
    int HeadCount,
    int HeadCountKv,
    int DraftLayers,
    int QualifierLayers,
    int TargetLayers,
    float PerturbationScale,
    float TieMargin,
    GgmlType WeightType,
    int ContextLength = 4096,
    float Smoothing = 0.002f,
    ForgeTokenizer Tokenizer = ForgeTokenizer.CorpusWords,
    int DraftPadding = 0,
    int QualifierPadding = 0,
    int TargetPadding = 0,
    string? ChatTemplate = null,
    float RopeFreqBase = 10000f,
    bool CopyCircuit = false,
    float LogitScale = 1f,
    float QualifierHeadNoise = 1f,
    float TargetHeadNoise = 1f)
{
    /// <summary>The server's no-configuration default: the whole tale, Q8_0, 1/3/8 blocks. Its context_length says 32k
    /// (the forged attention has no trained length), so an agent client may configure a long context; the server
    /// itself defaults the demo to a shorter one. The draft reads the blocks' noise strongly (1.6 per block) and the
    /// target faintly (0.075 of that), over top-2 margins of 2.5: the target's greedy choices win by more than 1 nat on
    /// the shipped prompts, so concurrent greedy requests answer as they do alone (batch-shape rounding cannot flip a
    /// clear winner), while the draft still picks another argmax than the target at about one position in six of the tale.</summary>
    public static FamilyPreset Demo { get; } = new(
        "demo", null, 576, 1536, 8, 8, 1, 3, 8, 1.6f, 2.5f, GgmlType.Q8_0, 32768, QualifierHeadNoise: 0.45f, TargetHeadNoise: 0.075f);

    /// <summary>The smallest family that still behaves: 150 words, 256 wide, 1/2/4 blocks, F32, wide margins, and enough
    /// per-block noise (0.6) that the tiers disagree within a generation, not only at its first token.</summary>
    public static FamilyPreset Tiny { get; } = new("tiny", 150, 256, 512, 4, 4, 1, 2, 4, 0.6f, 2.0f, GgmlType.F32, 32768);

    /// <summary>Benchmark family where the analytic model favours the pyramid: the draft is far from the target, the
    /// qualifier close to the draft and much cheaper than the target (2 of 10 blocks). F32 at 1024 wide: the flattest
    /// target cost curve <c>momo-bench --sweep</c> measured on the 2-core CPU host.</summary>
    public static FamilyPreset BenchPyramid { get; } = new("bench-pyramid", null, 1024, 2720, 8, 8, 1, 2, 10, 0.4f, 1.0f, GgmlType.F32);

    /// <summary>Benchmark family where the analytic model does not favour the pyramid: the qualifier is nearly the
    /// target (9 of 10 blocks), so it costs almost as much as the target and its filtering cannot pay.</summary>
    public static FamilyPreset BenchTwoTier { get; } = new("bench-two-tier", null, 1024, 2720, 8, 8, 1, 9, 10, 0.4f, 1.0f, GgmlType.F32);

    /// <summary>Benchmark family for agentic and editing workloads, shaped like <see cref="BenchPyramid"/> (F32, 1024 wide)
    /// with 2/4/10 blocks whose first two carry the copy circuit, so every tier continues a quoted passage and prompt
    /// lookup pays. The huge rope base keeps the induction head's slow rotary pairs still over a long context.</summary>
    public static FamilyPreset BenchAgentic { get; } = new(
        "bench-agentic", null, 1024, 2720, 8, 8, 2, 4, 10, 0.4f, 1.0f, GgmlType.F32, RopeFreqBase: 1e38f, CopyCircuit: true);

    /// <summary>The copy circuit at test size: 150 words, 512 wide (the circuit's codes need 128-wide heads, hence 4
    /// heads), 2/3/4 blocks, F32.</summary>
    public static FamilyPreset CopyTiny { get; } = new(
        "copy-tiny", 150, 512, 1024, 4, 4, 2, 3, 4, 0.4f, 2.0f, GgmlType.F32, 32768, RopeFreqBase: 1e38f, CopyCircuit: true);

    /// <summary>Llama 3's format over a real byte-level BPE vocabulary: cl100k_base's 100,256 ranks plus Llama 3's 256
    /// special tokens (100,512); the draft carries 64 padding tokens the target lacks.</summary>
    public static FamilyPreset Llama3Bpe { get; } = new(
        "llama3-bpe", null, 64, 128, 4, 4, 1, 2, 3, 0.3f, 3.0f, GgmlType.Q8_0, 8192, Tokenizer: ForgeTokenizer.Cl100kLlama3, DraftPadding: 64);

    /// <summary>Qwen's ChatML format over o200k_base's 199,998 ranks plus &lt;|endoftext|&gt;, &lt;|im_start|&gt; and
    /// &lt;|im_end|&gt;; the target is padded by 128 tokens, as Qwen2.5 7B is against 0.5B and 1.5B.</summary>
    public static FamilyPreset ChatMlBpe { get; } = new(
        "chatml-bpe", null, 64, 128, 4, 4, 1, 2, 3, 0.3f, 3.0f, GgmlType.Q8_0, 32768, Tokenizer: ForgeTokenizer.O200kChatMl, TargetPadding: 128);

    /// <summary>The agent fixture and demo: a corpus of tool-calling turns in the Hermes format (ChatML), so that under
    /// <c>tool_choice: "auto"</c> a greedy run calls a tool when asked (a subagent when a helper is mentioned) and answers
    /// in prose once the result is back
    /// (<see cref="ContextMemory"/>). Small and F32 (1/2/3 blocks, 192 wide) because agent prompts are long: every
    /// tier prefills tens of thousands of tokens on a CPU. Wide margins and little noise keep greedy choices stable;
    /// 8 heads carry its 6 memories; sharpened logits make sampling at temperature 1 choose as greedy decoding does.</summary>
    public static FamilyPreset Agent { get; } = new(
        "agent", null, 192, 256, 8, 8, 1, 2, 3, 0.2f, 3.0f, GgmlType.F32, 131072, Tokenizer: ForgeTokenizer.AgentTranscripts, RopeFreqBase: 1e12f,
        LogitScale: 20f);

    /// <summary>All built-in presets.</summary>
    public static IReadOnlyList<FamilyPreset> All { get; } = [Demo, Tiny, BenchPyramid, BenchTwoTier, BenchAgentic, CopyTiny, Llama3Bpe, ChatMlBpe, Agent];

    /// <summary>How strongly <paramref name="tier"/>'s output head reads the blocks' noise (the draft's: 1).</summary>
    public float HeadNoise(string tier) => tier switch
    {
        "qualifier" => QualifierHeadNoise,
        "target" => TargetHeadNoise,
        _ => 1f,
    };

    /// <summary>The built-in preset with this name; throws listing the valid names.</summary>
    public static FamilyPreset Named(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown preset '{name}'; known presets: {string.Join(", ", All.Select(p => p.Name))}", nameof(name));

    /// <summary>Throws when the knobs are inconsistent (before any work is done).</summary>
    public void Validate()
    {
        void Check(bool ok, string what) { if (!ok) { throw new ArgumentException($"preset '{Name}': {what}"); } }
        Check(EmbeddingLength > 0 && EmbeddingLength % 64 == 0, $"EmbeddingLength {EmbeddingLength} must be a positive multiple of 64");
        Check(HeadCount > 0 && EmbeddingLength % HeadCount == 0, $"HeadCount {HeadCount} must divide EmbeddingLength {EmbeddingLength}");
        Check(HeadCountKv > 0 && HeadCount % HeadCountKv == 0, $"HeadCountKv {HeadCountKv} must divide HeadCount {HeadCount}");
        Check(FeedForwardLength > 0 && FeedForwardLength % 32 == 0, $"FeedForwardLength {FeedForwardLength} must be a positive multiple of 32");
        Check(DraftLayers >= 1 && DraftLayers <= QualifierLayers && QualifierLayers <= TargetLayers, "need 1 <= DraftLayers <= QualifierLayers <= TargetLayers");
        Check(PerturbationScale >= 0 && TieMargin >= 0 && Smoothing > 0, "PerturbationScale and TieMargin must be >= 0, Smoothing > 0");
        Check(WeightType is GgmlType.F32 or GgmlType.F16 or GgmlType.Q8_0, $"WeightType {WeightType} must be F32, F16 or Q8_0");
        Check(ContextLength >= 64, "ContextLength must be at least 64");
        Check(RopeFreqBase > 0, "RopeFreqBase must be positive");
        Check(LogitScale >= 1, "LogitScale must be at least 1");
        Check(QualifierHeadNoise >= 0 && TargetHeadNoise >= 0, "QualifierHeadNoise and TargetHeadNoise must be >= 0");
        Check(!CopyCircuit || DraftLayers >= 2, "the copy circuit needs at least 2 blocks in every tier");
        Check(DraftPadding >= 0 && QualifierPadding >= 0 && TargetPadding >= 0, "paddings must be >= 0");
    }
}

/// <summary>The vocabulary a family is forged over.</summary>
public enum ForgeTokenizer
{
    /// <summary>SPM ("llama") over the corpus's words, with byte fallback and ChatML markers.</summary>
    CorpusWords,

    /// <summary>SPM ("llama") over the agent corpus's words and JSON pieces, with the Hermes tool markers as
    /// user-defined tokens and ChatML markers.</summary>
    AgentTranscripts,

    /// <summary>Byte-level BPE ("gpt2", pre-tokenizer llama-bpe) from cl100k_base, with Llama 3's special tokens and template.</summary>
    Cl100kLlama3,

    /// <summary>Byte-level BPE ("gpt2", pre-tokenizer gpt-4o) from o200k_base, with ChatML's special tokens and template.</summary>
    O200kChatMl,
}
