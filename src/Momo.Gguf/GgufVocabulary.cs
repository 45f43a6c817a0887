namespace Momo.Gguf;

/// <summary>llama.cpp token types (<c>tokenizer.ggml.token_type</c>).</summary>
public enum TokenType
{
    /// <summary>Undefined.</summary>
    Undefined = 0,
    /// <summary>An ordinary text token.</summary>
    Normal = 1,
    /// <summary>The unknown token.</summary>
    Unknown = 2,
    /// <summary>A control token such as BOS/EOS or a chat marker.</summary>
    Control = 3,
    /// <summary>A user-defined token.</summary>
    UserDefined = 4,
    /// <summary>An unused slot.</summary>
    Unused = 5,
    /// <summary>A byte-fallback token <c>&lt;0xNN&gt;</c>.</summary>
    Byte = 6,
}

/// <summary>A model's tokenizer as described by its GGUF metadata. Special ids are null when the key is absent.
/// <paramref name="TokenTypes"/> and <paramref name="Scores"/> are empty when the file omits them;
/// <paramref name="PreTokenizer"/> is null when the file names none (SPM vocabularies have none).</summary>
public sealed record GgufVocabulary(
    string Model,
    IReadOnlyList<string> Tokens,
    IReadOnlyList<int> TokenTypes,
    IReadOnlyList<float> Scores,
    int? BosId,
    int? EosId,
    int? EotId,
    int? UnkId,
    int? PaddingId,
    string? PreTokenizer = null,
    int? EomId = null,
    bool? AddBos = null)
{
    /// <summary>Number of tokens.</summary>
    public int Size => Tokens.Count;

    /// <summary>The special ids by metadata name, for validation.</summary>
    public IEnumerable<(string Name, int? Id)> SpecialIds =>
    [
        ("bos_token_id", BosId), ("eos_token_id", EosId), ("eot_token_id", EotId), ("eom_token_id", EomId),
        ("unknown_token_id", UnkId), ("padding_token_id", PaddingId),
    ];

    /// <summary>The ids that start and end text, which tiers must agree on (llama.cpp compares the same ones).</summary>
    public IEnumerable<(string Name, int? Id)> BoundaryIds =>
    [
        ("bos_token_id", BosId), ("eos_token_id", EosId), ("eot_token_id", EotId), ("eom_token_id", EomId),
    ];

    /// <summary>Reads the vocabulary from metadata; throws naming the key when a required one is missing or mistyped.</summary>
    public static GgufVocabulary FromMetadata(GgufMetadata m) => new(
        m.GetString(GgufKeys.TokenizerModel),
        m.GetStringArray(GgufKeys.Tokens),
        m.Contains(GgufKeys.TokenTypes) ? m.GetInt32Array(GgufKeys.TokenTypes) : [],
        m.Contains(GgufKeys.Scores) ? m.GetFloatArray(GgufKeys.Scores) : [],
        Id(m, GgufKeys.BosId), Id(m, GgufKeys.EosId), Id(m, GgufKeys.EotId), Id(m, GgufKeys.UnkId), Id(m, GgufKeys.PaddingId),
        m.Contains(GgufKeys.PreTokenizer) ? m.GetString(GgufKeys.PreTokenizer) : null,
        Id(m, GgufKeys.EomId),
        m.Get(GgufKeys.AddBos) as bool?);

    private static int? Id(GgufMetadata m, string key) => m.TryGetUInt32(key) is uint v ? checked((int)Math.Min(v, int.MaxValue)) : null;
}
