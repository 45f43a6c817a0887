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

    /// <summary>Null when <paramref name="a"/> and <paramref name="b"/> are the same tokenizer (model, size, token
    /// texts, token types, special ids); otherwise one sentence naming the first difference.</summary>
    public static string? FirstDifference(GgufVocabulary a, GgufVocabulary b)
    {
        if (a.Model != b.Model)
        {
            return $"tokenizer model differs: '{a.Model}' vs '{b.Model}'";
        }

        if (a.Size != b.Size)
        {
            return $"vocabulary size differs: {a.Size} vs {b.Size}";
        }

        for (var id = 0; id < a.Size; id++)
        {
            if (a.Tokens[id] != b.Tokens[id])
            {
                return $"token {id} differs: '{a.Tokens[id]}' vs '{b.Tokens[id]}'";
            }
        }
        if (a.TokenTypes.Count != b.TokenTypes.Count)
        {
            return $"token type count differs: {a.TokenTypes.Count} vs {b.TokenTypes.Count}";
        }

        for (var id = 0; id < a.TokenTypes.Count; id++)
        {
            if (a.TokenTypes[id] != b.TokenTypes[id])
            {
                return $"type of token {id} '{a.Tokens[id]}' differs: {(TokenType)a.TokenTypes[id]} vs {(TokenType)b.TokenTypes[id]}";
            }
        }
        foreach (var ((name, x), (_, y)) in a.SpecialIds.Zip(b.SpecialIds))
        {
            if (x != y)
            {
                return $"{name} differs: {Show(x)} vs {Show(y)}";
            }
        }
        return null;
    }

    private static string Show(int? id) => id?.ToString() ?? "none";
}
