using System.Globalization;

namespace Momo.Gguf;

/// <summary>Checks one vocabulary for problems that crash or confuse llama.cpp, and compares two vocabularies so the
/// server can refuse a draft/qualifier/target trio that does not share one tokenizer.</summary>
public static class VocabularyValidator
{
    /// <summary>Most problems one validation lists.</summary>
    public const int MaxProblems = 20;

    /// <summary>Every problem found (empty when valid): an empty vocabulary, empty or duplicate token texts (llama.cpp
    /// aborts the process on duplicates), scores/types of the wrong length, unknown token types, and special ids out
    /// of range. At most <see cref="MaxProblems"/> are listed, so a corrupt vocabulary cannot produce a huge list.</summary>
    public static IReadOnlyList<string> Validate(GgufVocabulary vocab)
    {
        var problems = new List<string>();
        if (vocab.Size == 0)
        {
            problems.Add("the vocabulary is empty");
        }

        var firstId = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < vocab.Size && problems.Count < MaxProblems; id++)
        {
            if (vocab.Tokens[id].Length == 0)
            {
                problems.Add($"token {id} has empty text");
            }
            else if (!firstId.TryAdd(vocab.Tokens[id], id))
            {
                problems.Add($"duplicate token text '{vocab.Tokens[id]}' at ids {firstId[vocab.Tokens[id]]} and {id}");
            }
        }
        if (vocab.Scores.Count != 0 && vocab.Scores.Count != vocab.Size)
        {
            problems.Add($"tokenizer.ggml.scores has {vocab.Scores.Count} entries but there are {vocab.Size} tokens");
        }

        if (vocab.TokenTypes.Count != 0 && vocab.TokenTypes.Count != vocab.Size)
        {
            problems.Add($"tokenizer.ggml.token_type has {vocab.TokenTypes.Count} entries but there are {vocab.Size} tokens");
        }

        for (var id = 0; id < vocab.TokenTypes.Count; id++)
        {
            if (vocab.TokenTypes[id] is < (int)TokenType.Undefined or > (int)TokenType.Byte)
            {
                problems.Add($"token {id} has unknown token type {vocab.TokenTypes[id]}");
                break;
            }
        }

        foreach (var (name, id) in vocab.SpecialIds)
        {
            if (id is int v && (v < 0 || v >= vocab.Size))
            {
                problems.Add($"{name} {v} is out of range (vocabulary size {vocab.Size})");
            }
        }
        return problems;
    }

    /// <summary>Most tokens two tiers' vocabularies may differ by: llama.cpp's speculative decoding accepts the same
    /// (SPEC_VOCAB_MAX_SIZE_DIFFERENCE), and real families pad their larger models' vocabularies by up to 128 tokens
    /// (Qwen2.5 7B: 152,064 tokens; 0.5B and 1.5B: 151,936).</summary>
    public const int MaxSizeDifference = 128;

    /// <summary>
    /// Null when <paramref name="a"/> and <paramref name="b"/> tokenize alike in llama.cpp's sense: same tokenizer model
    /// and pre-tokenizer, same add-BOS setting and BOS/EOS/EOT/EOM ids, sizes within <see cref="MaxSizeDifference"/>,
    /// and identical texts on every id both have. Otherwise one sentence naming the first difference.
    /// </summary>
    /// <remarks>Token types, scores and merges are not compared: the target's tokenizer serves every tier, so only
    /// what the ids mean must agree.</remarks>
    public static string? FirstDifference(GgufVocabulary a, GgufVocabulary b)
    {
        if (a.Model != b.Model)
        {
            return $"tokenizer model differs: '{a.Model}' vs '{b.Model}'";
        }

        if (a.PreTokenizer != b.PreTokenizer)
        {
            return $"pre-tokenizer differs: '{a.PreTokenizer ?? "none"}' vs '{b.PreTokenizer ?? "none"}'";
        }

        if (a.AddBos != b.AddBos)
        {
            return $"add_bos_token differs: {a.AddBos?.ToString() ?? "unset"} vs {b.AddBos?.ToString() ?? "unset"}";
        }

        foreach (var ((name, x), (_, y)) in a.BoundaryIds.Zip(b.BoundaryIds))
        {
            if (x != y)
            {
                return $"{name} differs: {Show(x)} vs {Show(y)}";
            }
        }

        if (Math.Abs(a.Size - b.Size) > MaxSizeDifference)
        {
            return $"vocabulary size differs by more than {MaxSizeDifference}: {a.Size} vs {b.Size}";
        }

        var shared = Math.Min(a.Size, b.Size);
        for (var id = 0; id < shared; id++)
        {
            if (a.Tokens[id] != b.Tokens[id])
            {
                return $"token {id} differs: '{a.Tokens[id]}' vs '{b.Tokens[id]}'";
            }
        }
        return null;
    }

    private static string Show(int? id) => id?.ToString(CultureInfo.InvariantCulture) ?? "none";
}
