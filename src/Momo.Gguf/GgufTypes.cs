namespace Momo.Gguf;

// The members of these two enums are the specification's own names (UInt8, Q4_0), documented there.
#pragma warning disable CS1591, CA1707, CA1720
/// <summary>GGUF metadata value types, numbered as in the GGUF specification.</summary>
public enum GgufValueType : uint
{
    UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6,
    Bool = 7, String = 8, Array = 9, UInt64 = 10, Int64 = 11, Float64 = 12,
}

/// <summary>ggml tensor types, numbered as in ggml.h. Only F32, F16 and Q8_0 can be written or decoded;
/// the others are named so that real models can be described and size-checked.</summary>
public enum GgmlType : uint
{
    F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q8_1 = 9,
    Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14, Q8_K = 15,
    IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19, IQ4_NL = 20, IQ3_S = 21, IQ2_S = 22, IQ4_XS = 23,
    I8 = 24, I16 = 25, I32 = 26, I64 = 27, F64 = 28, IQ1_M = 29, BF16 = 30, TQ1_0 = 34, TQ2_0 = 35, MXFP4 = 39,
}
#pragma warning restore CS1591, CA1707, CA1720

/// <summary>A GGUF file is malformed or inconsistent; the message names the offending key, tensor or offset.</summary>
public sealed class GgufException : Exception
{
    /// <summary>Creates the exception with a message naming the problem.</summary>
    public GgufException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping a lower-level cause.</summary>
    public GgufException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public GgufException() { }
}

/// <summary>Well-known GGUF metadata keys used by the forge and the server's validation.</summary>
public static class GgufKeys
{
    /// <summary><c>general.architecture</c></summary>
    public const string Architecture = "general.architecture";
    /// <summary><c>general.name</c></summary>
    public const string Name = "general.name";
    /// <summary><c>general.alignment</c></summary>
    public const string Alignment = "general.alignment";
    /// <summary><c>tokenizer.ggml.model</c></summary>
    public const string TokenizerModel = "tokenizer.ggml.model";
    /// <summary><c>tokenizer.ggml.tokens</c></summary>
    public const string Tokens = "tokenizer.ggml.tokens";
    /// <summary><c>tokenizer.ggml.scores</c></summary>
    public const string Scores = "tokenizer.ggml.scores";
    /// <summary><c>tokenizer.ggml.token_type</c></summary>
    public const string TokenTypes = "tokenizer.ggml.token_type";
    /// <summary><c>tokenizer.ggml.bos_token_id</c></summary>
    public const string BosId = "tokenizer.ggml.bos_token_id";
    /// <summary><c>tokenizer.ggml.eos_token_id</c></summary>
    public const string EosId = "tokenizer.ggml.eos_token_id";
    /// <summary><c>tokenizer.ggml.eot_token_id</c></summary>
    public const string EotId = "tokenizer.ggml.eot_token_id";
    /// <summary><c>tokenizer.ggml.eom_token_id</c> (Llama 3's end of message)</summary>
    public const string EomId = "tokenizer.ggml.eom_token_id";
    /// <summary><c>tokenizer.ggml.pre</c>: the pre-tokenizer of a BPE vocabulary (e.g. llama-bpe, qwen2)</summary>
    public const string PreTokenizer = "tokenizer.ggml.pre";
    /// <summary><c>tokenizer.ggml.merges</c>: BPE merges, "left right" by priority</summary>
    public const string Merges = "tokenizer.ggml.merges";
    /// <summary><c>tokenizer.ggml.add_bos_token</c></summary>
    public const string AddBos = "tokenizer.ggml.add_bos_token";
    /// <summary><c>tokenizer.ggml.unknown_token_id</c></summary>
    public const string UnkId = "tokenizer.ggml.unknown_token_id";
    /// <summary><c>tokenizer.ggml.padding_token_id</c></summary>
    public const string PaddingId = "tokenizer.ggml.padding_token_id";
    /// <summary><c>tokenizer.chat_template</c></summary>
    public const string ChatTemplate = "tokenizer.chat_template";
}
