using Momo.Forge;

namespace Momo.Testing;

/// <summary>
/// Forged model families for tests, written once per test process into a private temporary folder (forging is
/// deterministic and takes a moment, so each process gets its own copy and no two processes race on one file).
/// </summary>
public static class TestFamilies
{
    /// <summary>Seed of every test family.</summary>
    public const int Seed = 7;

    private static readonly Lazy<ForgedFamily> TinyFamily = new(() => Forge(FamilyPreset.Tiny));
    private static readonly Lazy<ForgedFamily> OtherVocabularyFamily =
        new(() => Forge(FamilyPreset.Tiny with { Name = "tiny-fewer-words", MaxWords = 140 }));

    private static readonly Lazy<ForgedFamily> PaddedFamily =
        new(() => Forge(FamilyPreset.Tiny with { Name = "tiny-padded", QualifierPadding = 64, TargetPadding = 128 }));
    private static readonly Lazy<ForgedFamily> PaddedDraftFamily =
        new(() => Forge(FamilyPreset.Tiny with { Name = "tiny-padded-draft", DraftPadding = 96 }));
    private static readonly Lazy<ForgedFamily> OverPaddedFamily =
        new(() => Forge(FamilyPreset.Tiny with { Name = "tiny-over-padded", TargetPadding = 129 }));
    private static readonly Lazy<ForgedFamily> Llama3BpeFamily = new(() => Forge(FamilyPreset.Llama3Bpe));
    private static readonly Lazy<ForgedFamily> ChatMlBpeFamily = new(() => Forge(FamilyPreset.ChatMlBpe));
    private static readonly Lazy<ForgedFamily> AgentFamily = new(() => Forge(FamilyPreset.Agent));
    private static readonly Lazy<ForgedFamily> CopyTinyFamily = new(() => Forge(FamilyPreset.CopyTiny));

    /// <summary>The small family with the copy circuit: every tier continues a quoted passage.</summary>
    public static ForgedFamily CopyTiny => CopyTinyFamily.Value;

    /// <summary>The agent family: Hermes tool calls under greedy decoding, for agent clients (OpenClaw).</summary>
    public static ForgedFamily Agent => AgentFamily.Value;

    /// <summary><see cref="Tiny"/> with 64 padding tokens in the qualifier's vocabulary and 128 in the target's (the
    /// most the compatibility rule allows), as Qwen2.5 7B's against 0.5B's.</summary>
    public static ForgedFamily Padded => PaddedFamily.Value;

    /// <summary><see cref="Tiny"/> with 96 padding tokens in the draft's vocabulary, which the target lacks.</summary>
    public static ForgedFamily PaddedDraft => PaddedDraftFamily.Value;

    /// <summary><see cref="Tiny"/> with 129 padding tokens in the target's vocabulary: one more than allowed.</summary>
    public static ForgedFamily OverPadded => OverPaddedFamily.Value;

    /// <summary>Byte-level BPE from cl100k_base with Llama 3's special tokens and template (100,512 tokens; the draft
    /// has 64 more).</summary>
    public static ForgedFamily Llama3Bpe => Llama3BpeFamily.Value;

    /// <summary>Byte-level BPE from o200k_base with ChatML (200,001 tokens; the target has 128 more).</summary>
    public static ForgedFamily ChatMlBpe => ChatMlBpeFamily.Value;

    /// <summary>The smallest family that still reads like the tale: fast enough for hundreds of requests.</summary>
    public static ForgedFamily Tiny => TinyFamily.Value;

    /// <summary>A family like <see cref="Tiny"/> but with a different vocabulary: mixing it in must be refused.</summary>
    public static ForgedFamily OtherVocabulary => OtherVocabularyFamily.Value;

    /// <summary>Token id of &lt;|im_end|&gt;, which ends a chat turn (and generation) in every forged family.</summary>
    public const int EndOfTurnToken = ForgeVocabulary.ImEnd;

    private static readonly string[] PromptTexts =
    [
        "Once upon a time", "The old man went to the mountain", "The old woman went to the river",
        "A great peach came floating down the river", "The old woman carried the peach home", "When they cut the peach",
        "Momotaro grew strong", "The demons of the island", "The dog said", "The monkey said", "The pheasant flew",
        "He asked for millet dumplings", "The old woman made dumplings", "They sailed across the sea",
        "The gate of the fortress", "The demon king", "They carried the treasure home", "The old man and the old woman were happy",
        "In a village by the mountains", "Every day", "The boy", "The river was wide", "The island was far away",
        "The dog, the monkey and the pheasant", "Give me one dumpling", "The demons were afraid", "They fought bravely",
        "At last", "The people of the village", "And so",
    ];

    /// <summary>The first <paramref name="count"/> of a fixed set of prompts in the tale's words (at most 30).</summary>
    public static IReadOnlyList<string> Prompts(int count) => PromptTexts[..count];

    private static ForgedFamily Forge(FamilyPreset preset)
    {
        var directory = Path.Combine(Path.GetTempPath(), "momo-test-families", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), preset.Name);
        return FamilyForge.EnsureFamily(directory, preset, Seed);
    }
}
