using Microsoft.ML.Tokenizers;
using Momo.Gguf;

namespace Momo.Forge.Bpe;

/// <summary>
/// A real-size byte-level BPE vocabulary: every tiktoken rank becomes the token of that id (texts in GPT-2's byte
/// alphabet, merges derived from the ranks), then the format's special tokens as control tokens. The model side is the
/// same bigram construction as the word families, over a short text with multi-byte characters (CJK, emoji, accents)
/// tokenized by the library's tiktoken tokenizer, so the models emit pieces of UTF-8 characters.
/// </summary>
internal static class BpeVocabulary
{
    /// <summary>What the BPE families learn to say: one paragraph per line. Few distinct tokens (each is a context
    /// class, an embedding dimension), several of them partial UTF-8 characters.</summary>
    public static IReadOnlyList<string> Corpus { get; } =
    [
        "Momotaro 桃太郎 found a peach 🍑 in the river.",
        "The dog 🐕 and the monkey came to the island.",
    ];

    public static ForgeVocabulary Build(ForgeTokenizer tokenizer)
    {
        var encoding = tokenizer == ForgeTokenizer.Cl100kLlama3 ? TiktokenEncoding.Cl100kBase : TiktokenEncoding.O200kBase;
        var ranks = TiktokenRanks.Load(encoding);
        var tokens = new List<string>(ranks.Length + 256);
        var types = new List<int>(ranks.Length + 256);
        for (var id = 0; id < ranks.Length; id++)
        {
            // A rank the file leaves unused still needs a unique text (llama.cpp aborts on duplicates).
            tokens.Add(ranks[id] is { } bytes ? ByteLevelText.Encode(bytes) : $"[UNUSED{id}]");
            types.Add(ranks[id] is null ? (int)TokenType.Unused : (int)TokenType.Normal);
        }
        var merges = MergeDerivation.Derive(ranks).Select(m => $"{ByteLevelText.Encode(m.Left)} {ByteLevelText.Encode(m.Right)}").ToList();
        var llama3 = tokenizer == ForgeTokenizer.Cl100kLlama3;
        var first = tokens.Count;
        foreach (var special in llama3 ? ChatFormats.Llama3Specials : ChatFormats.ChatMlSpecials)
        {
            tokens.Add(special);
            types.Add((int)TokenType.Control);
        }
        int Special(string text) => first + (llama3 ? ChatFormats.Llama3Specials : ChatFormats.ChatMlSpecials).ToList().IndexOf(text);

        var specials = llama3
            ? new ForgeSpecials(Special("<|begin_of_text|>"), Special("<|end_of_text|>"), Special("<|eot_id|>"), Special("<|eom_id|>"), null, null, AddBos: true)
            : new ForgeSpecials(Special("<|endoftext|>"), Special("<|im_end|>"), Special("<|im_end|>"), null, null, Special("<|endoftext|>"), AddBos: false);
        var endOfTurn = llama3 ? Special("<|eot_id|>") : Special("<|im_end|>");
        var library = TiktokenTokenizer.CreateForEncoding(encoding == TiktokenEncoding.Cl100kBase ? "cl100k_base" : "o200k_base");
        var newline = library.EncodeToIds("\n").Single();
        var paragraphs = Corpus.Select(line => library.EncodeToIds(line).Prepend(newline).Append(endOfTurn).ToArray()).ToArray();
        var emittable = paragraphs.SelectMany(p => p.Skip(1)).Distinct().Order().ToArray();

        // One class per emitted token; the newline and the turn openers share class 0 (a paragraph starts).
        var classOf = Enumerable.Repeat(-1, tokens.Count).ToArray();
        classOf[newline] = 0;
        // Llama 3's generation prompt ends with a blank line after the header.
        classOf[library.EncodeToIds("\n\n").Single()] = 0;
        var openers = llama3 ? new[] { "<|begin_of_text|>", "<|end_header_id|>" } : ["<|im_start|>"];
        foreach (var opener in openers)
        {
            classOf[Special(opener)] = 0;
        }
        var classCount = 1;
        foreach (var id in emittable)
        {
            classOf[id] = id == newline ? 0 : classCount++;
        }
        return ForgeVocabulary.ForBpe(
            tokens, types, classOf, classCount, emittable, paragraphs, llama3 ? "llama-bpe" : "gpt-4o", merges, specials, endOfTurn,
            llama3 ? ChatFormats.Llama3Template : ChatFormats.ChatMlTemplate);
    }
}
