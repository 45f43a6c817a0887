using System.Text;
using Microsoft.ML.Tokenizers;
using Momo.Engine.Runtime;
using Momo.Testing;

namespace Momo.Runtime.Tests;

/// <summary>
/// The forged byte-level BPE families (real tiktoken vocabularies of 100k and 200k tokens) load in llama.cpp through
/// the server's loader, tokenize like the library's tiktoken tokenizer, detokenize back to the exact bytes of any UTF-8
/// text, and mark every end-of-generation token of their format.
/// </summary>
public sealed class BpeFamilyTests
{
    /// <summary>Texts a tokenizer gets wrong first: emoji (with skin tones and ZWJ sequences), CJK, combining marks,
    /// right-to-left scripts, code and whitespace runs.</summary>
    private static readonly string[] TextList =
    [
        "Once upon a time, an old man went to the mountain.",
        "桃太郎は川から流れてきた大きな桃から生まれました。",
        "🍑🐕🐒🐦 👩🏽‍🚀 👨‍👩‍👧‍👦 🏳️‍🌈",
        "cafe\u0301 nai\u0308ve Zu\u0308rich a\u0323\u0302 \u1100\u1161\u11A8",
        "مرحبا بالعالم — שלום עולם — नमस्ते दुनिया",
        "def f(x):\n\treturn x ** 2  # ½ ≤ π\r\n\n\n   trailing   ",
        "'s 're 've 123456789 ٣٤٥ ＡＢＣ",
    ];

    public static TheoryData<string> Texts => new(TextList);

    [Theory]
    [MemberData(nameof(Texts))]
    public void Llama3_family_round_trips_utf8_and_tokenizes_like_tiktoken(string text) =>
        AssertRoundTripAndTiktoken(Loaded.Llama3.Value, "cl100k_base", text);

    [Theory]
    [MemberData(nameof(Texts))]
    public void ChatMl_family_round_trips_utf8(string text) => AssertRoundTrip(Loaded.ChatMl.Value, text);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(6)]
    public void ChatMl_family_tokenizes_like_tiktoken_outside_right_to_left_and_indic_scripts(int text)
    {
        // On text 4 (Arabic, Hebrew, Devanagari) llama.cpp's gpt-4o pre-tokenizer splits differently from tiktoken's
        // o200k regex; the bytes still round-trip, which is what serving needs.
        AssertRoundTripAndTiktoken(Loaded.ChatMl.Value, "o200k_base", TextList[text]);
    }

    [Fact]
    public void Random_unicode_scalars_round_trip_through_both_families()
    {
        var random = new Random(11);
        for (var i = 0; i < 40; i++)
        {
            var text = new StringBuilder();
            for (var j = 0; j < 24; j++)
            {
                int scalar;
                do
                {
                    // Mostly the Basic Multilingual Plane, sometimes astral planes (emoji, historic scripts).
                    scalar = random.Next(4) == 0 ? random.Next(0x10000, 0x30000) : random.Next(0x20, 0x10000);
                }
                while (!Rune.IsValid(scalar));
                text.Append(new Rune(scalar).ToString());
            }
            AssertRoundTrip(Loaded.Llama3.Value, text.ToString());
            AssertRoundTrip(Loaded.ChatMl.Value, text.ToString());
        }
    }

    [Fact]
    public void Both_families_load_with_their_padded_tiers_at_the_expected_sizes()
    {
        Assert.Equal(100_512, Loaded.Llama3.Value.VocabularySize);
        Assert.Equal(200_001, Loaded.ChatMl.Value.VocabularySize);
        var llama3 = TestFamilies.Llama3Bpe;
        var chatMl = TestFamilies.ChatMlBpe;
        // The preflight accepts the padded tiers (within 128 tokens), then llama.cpp loads them.
        using var tiers = TierSetLoader.Load(Options("target", chatMl.TargetPath), Options("qualifier", chatMl.QualifierPath), Options("draft", chatMl.DraftPath)).Tiers;
        Assert.Equal(200_129, tiers.Target.VocabularySize);
        Assert.Equal(200_129, tiers[Tier.Draft]!.VocabularySize); // seen at the target's size
        using var draftPadded = LlamaTierModel.Load(Options("draft", llama3.DraftPath));
        Assert.Equal(100_576, draftPadded.VocabularySize);
    }

    [Theory]
    [InlineData("llama3", "<|eot_id|>", true)]
    [InlineData("llama3", "<|eom_id|>", true)]
    [InlineData("llama3", "<|end_of_text|>", true)]
    [InlineData("llama3", "<|start_header_id|>", false)]
    [InlineData("llama3", "<|python_tag|>", false)]
    [InlineData("chatml", "<|im_end|>", true)]
    [InlineData("chatml", "<|endoftext|>", true)]
    [InlineData("chatml", "<|im_start|>", false)]
    public void Every_end_of_generation_token_of_the_format_is_marked_and_no_other(string format, string token, bool endsGeneration)
    {
        var model = format == "llama3" ? Loaded.Llama3.Value : Loaded.ChatMl.Value;
        var ids = model.Vocabulary.Tokenize(token, addBos: false, parseSpecial: true);
        var id = Assert.Single(ids);
        Assert.Equal(endsGeneration, model.Vocabulary.IsEndOfGeneration(id));
        var word = Assert.Single(model.Vocabulary.Tokenize("the", addBos: false, parseSpecial: false));
        Assert.False(model.Vocabulary.IsEndOfGeneration(word));
    }

    [Fact]
    public void Each_family_renders_chat_with_the_template_its_file_carries()
    {
        (string, string)[] messages = [("system", "You tell the tale."), ("user", "Who is Momotaro?")];

        Assert.Equal(
            "<|start_header_id|>system<|end_header_id|>\n\nYou tell the tale.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n" +
            "Who is Momotaro?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            Loaded.Llama3.Value.Vocabulary.RenderChat(messages).Replace("<|begin_of_text|>", "", StringComparison.Ordinal));
        Assert.Equal(
            "<|im_start|>system\nYou tell the tale.<|im_end|>\n<|im_start|>user\nWho is Momotaro?<|im_end|>\n<|im_start|>assistant\n",
            Loaded.ChatMl.Value.Vocabulary.RenderChat(messages));
    }

    private static void AssertRoundTripAndTiktoken(LlamaTierModel model, string encoding, string text)
    {
        var ids = AssertRoundTrip(model, text);
        var tiktoken = TiktokenTokenizer.CreateForEncoding(encoding).EncodeToIds(text);
        Assert.Equal(tiktoken, ids);
    }

    private static int[] AssertRoundTrip(LlamaTierModel model, string text)
    {
        var ids = model.Vocabulary.Tokenize(text, addBos: false, parseSpecial: false);
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            bytes.AddRange(model.Vocabulary.Piece(id).ToArray());
        }
        Assert.Equal(Encoding.UTF8.GetBytes(text), bytes.ToArray());
        return ids;
    }

    private static TierLoadOptions Options(string name, string path) =>
        new(name, path, GpuLayers: 0, KvCells: 256, MaxSequences: 1, Threads: 2, BatchTokens: 64);

    // Loaded once per test process and never disposed: the process ends with the tests.
    private static class Loaded
    {
        public static readonly Lazy<LlamaTierModel> Llama3 = new(() => LlamaTierModel.Load(Options("target", TestFamilies.Llama3Bpe.TargetPath)));
        public static readonly Lazy<LlamaTierModel> ChatMl = new(() => LlamaTierModel.Load(Options("target", TestFamilies.ChatMlBpe.QualifierPath)));
    }
}
