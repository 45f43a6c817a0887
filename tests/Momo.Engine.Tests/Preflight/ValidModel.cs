using Momo.Gguf;

namespace Momo.Engine.Tests.Preflight;

/// <summary>
/// The smallest llama header the preflight accepts: 2 blocks, 16 wide, 4 heads over 2 KV heads, a 40-token SPM
/// vocabulary, plus one metadata value of every GGUF type (scalars and arrays) so that corruption reaches every
/// reading path.
/// </summary>
internal static class ValidModel
{
    public const int Embedding = 16;
    public const int FeedForward = 32;
    public const int Heads = 4;
    public const int KvHeads = 2;
    public const int Blocks = 2;

    public static string[] Tokens { get; } =
        ["<unk>", "<s>", "</s>", .. Enumerable.Range(0, 37).Select(i => $"▁word{i}")];

    public static RawGguf Build()
    {
        var g = new RawGguf();
        g.Set(GgufKeys.Architecture, "llama")
            .Set(GgufKeys.Name, "preflight-test")
            .Set(GgufKeys.Alignment, (uint)RawGguf.Alignment)
            .Set("llama.context_length", 256u)
            .Set("llama.embedding_length", (uint)Embedding)
            .Set("llama.block_count", (uint)Blocks)
            .Set("llama.feed_forward_length", (uint)FeedForward)
            .Set("llama.attention.head_count", (uint)Heads)
            .Set("llama.attention.head_count_kv", (uint)KvHeads)
            .Set("llama.attention.layer_norm_rms_epsilon", 1e-5f)
            .Set(GgufKeys.TokenizerModel, "llama")
            .Set(GgufKeys.Tokens, Tokens)
            .Set(GgufKeys.Scores, Tokens.Select((_, i) => -(float)i).ToArray())
            .Set(GgufKeys.TokenTypes, Tokens.Select((_, i) => i < 3 ? (int)TokenType.Control : (int)TokenType.Normal).ToArray())
            .Set(GgufKeys.BosId, 1u)
            .Set(GgufKeys.EosId, 2u)
            .Set(GgufKeys.UnkId, 0u)
            .Set("test.u8", (byte)1).Set("test.i8", (sbyte)-1).Set("test.u16", (ushort)2).Set("test.i16", (short)-2)
            .Set("test.i32", -3).Set("test.u64", 4UL).Set("test.i64", -4L).Set("test.f64", 0.5).Set("test.bool", true)
            .Set("test.bytes", new byte[] { 1, 2, 3 }).Set("test.shorts", new short[] { -1, 1 }).Set("test.longs", new[] { 1L, 2L })
            .Set("test.doubles", new[] { 0.25 }).Set("test.bools", new[] { true, false }).Set("test.ulongs", new[] { 7UL });
        var kv = Embedding / Heads * KvHeads;
        g.Tensors.Add(new("token_embd.weight", [Embedding, Tokens.Length]));
        g.Tensors.Add(new("output_norm.weight", [Embedding]));
        g.Tensors.Add(new("output.weight", [Embedding, Tokens.Length]));
        for (var b = 0; b < Blocks; b++)
        {
            g.Tensors.Add(new($"blk.{b}.attn_norm.weight", [Embedding]));
            g.Tensors.Add(new($"blk.{b}.attn_q.weight", [Embedding, Embedding]));
            g.Tensors.Add(new($"blk.{b}.attn_k.weight", [Embedding, kv]));
            g.Tensors.Add(new($"blk.{b}.attn_v.weight", [Embedding, kv]));
            g.Tensors.Add(new($"blk.{b}.attn_output.weight", [Embedding, Embedding]));
            g.Tensors.Add(new($"blk.{b}.ffn_norm.weight", [Embedding]));
            g.Tensors.Add(new($"blk.{b}.ffn_gate.weight", [Embedding, FeedForward]));
            g.Tensors.Add(new($"blk.{b}.ffn_up.weight", [Embedding, FeedForward]));
            g.Tensors.Add(new($"blk.{b}.ffn_down.weight", [FeedForward, Embedding]));
        }
        return g;
    }
}
