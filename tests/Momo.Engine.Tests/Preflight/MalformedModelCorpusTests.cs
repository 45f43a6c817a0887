using System.Buffers.Binary;
using System.Text;
using Momo.Gguf;
using Xunit.Abstractions;

namespace Momo.Engine.Tests.Preflight;

/// <summary>
/// A corpus of malformed model files through the server's preflight: named semantic faults (each refused naming
/// its key or tensor), the valid file truncated at every header byte and across the data, and every header
/// position overwritten with hostile values. Every case ends in the project's own exception or passes, within a
/// memory bound proportional to the file.
/// </summary>
public sealed class MalformedModelCorpusTests(ITestOutputHelper output)
{
    private static readonly byte[] Valid = ValidModel.Build().ToBytes();

    public static TheoryData<string, string> SemanticFaults => new()
    {
        { "no architecture", "general.architecture" },
        { "architecture is a number", "general.architecture" },
        { "no embedding length", "llama.embedding_length" },
        { "zero blocks", "llama.block_count" },
        { "no context length", "llama.context_length" },
        { "no head count", "llama.attention.head_count" },
        { "kv heads do not divide heads", "head_count_kv" },
        { "heads do not divide the width", "head_count" },
        { "feed-forward length disagrees with the tensors", "ffn_gate" },
        { "more blocks than tensors", "blk.2.attn_norm.weight" },
        { "no token embedding", "token_embd.weight" },
        { "token embedding one row too many", "token_embd.weight" },
        { "output head of the wrong width", "output.weight" },
        { "no output norm", "output_norm.weight" },
        { "attn_k of the wrong shape", "attn_k" },
        { "no tokens", "tokenizer.ggml.tokens" },
        { "tokens are integers", "tokenizer.ggml.tokens" },
        { "no tokenizer model", "tokenizer.ggml.model" },
        { "scores of the wrong length", "tokenizer.ggml.scores" },
        { "token types of the wrong length", "tokenizer.ggml.token_type" },
        { "unknown token type", "token type" },
        { "duplicate token", "duplicate token" },
        { "empty token", "empty text" },
        { "bos id out of range", "bos_token_id" },
        { "negative eos id", "eos_token_id" },
        { "alignment not a power of two", "general.alignment" },
        { "alignment is a string", "general.alignment" },
        { "version 1", "version" },
        { "version 4", "version" },
        { "duplicate tensor", "appears twice" },
        { "five dimensions", "dimensions" },
        { "zero dimension", "dimension" },
        { "unknown tensor type", "unknown ggml type" },
        { "Q8_0 row not a multiple of 32", "block size" },
        { "misaligned tensor offset", "not aligned" },
        { "overlapping tensors", "overlaps" },
        { "tensor beyond the end of the file", "truncated" },
        { "empty tensor name", "tensor name" },
        { "64-byte tensor name", "tensor name" },
        { "empty metadata key", "empty key" },
        { "array of arrays", "unsupported type" },
    };

    [Theory]
    [MemberData(nameof(SemanticFaults))]
    public void Each_semantic_fault_is_refused_naming_what_is_wrong(string fault, string named)
    {
        var message = Preflight.Run(Fault(fault), fault);

        Assert.NotNull(message);
        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_valid_model_passes() => Assert.Null(Preflight.Run(Valid, "valid"));

    [Fact]
    public void The_file_truncated_at_every_header_byte_and_across_the_data_is_refused()
    {
        var cuts = Enumerable.Range(0, HeaderLength(Valid) + 1)
            .Concat(Enumerable.Range(1, 200).Select(i => (int)((long)Valid.Length * i / 201)))
            .Concat([Valid.Length - 1])
            .Distinct()
            .ToList();
        foreach (var cut in cuts)
        {
            Assert.NotNull(Preflight.Run(Valid[..cut], $"cut at {cut}"));
        }
        output.WriteLine($"{cuts.Count} truncations of a {Valid.Length}-byte file with a {HeaderLength(Valid)}-byte header");
        Assert.True(cuts.Count > 1000, $"{cuts.Count} truncations");
    }

    [Fact]
    public void Every_header_position_overwritten_with_hostile_values_ends_in_the_preflights_own_exception_or_passes()
    {
        byte[][] patterns =
        [
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], [0, 0, 0, 0, 0, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0x7F],
            [0, 0, 0, 0x80], [0, 0, 0, 0, 0, 0, 0, 0x80], [0xFF, 0xFF, 0xFF, 0xFF], [0x0D], [0xC3, 0x28],
        ];
        var cases = 0;
        var refused = 0;
        for (var position = 0; position < HeaderLength(Valid); position++)
        {
            foreach (var pattern in patterns)
            {
                var bytes = (byte[])Valid.Clone();
                pattern.AsSpan(0, Math.Min(pattern.Length, bytes.Length - position)).CopyTo(bytes.AsSpan(position));
                refused += Preflight.Run(bytes, $"pattern {Convert.ToHexString(pattern)} at {position}") is null ? 0 : 1;
                cases++;
            }
        }
        output.WriteLine($"{cases} overwrites, {refused} refused");
        Assert.True(cases > 10_000, $"{cases} overwrites");
    }

    /// <summary>Where the tensor data starts: everything before it is header.</summary>
    private static int HeaderLength(byte[] file)
    {
        using var stream = new MemoryStream(file);
        return (int)GgufReader.Read(stream).DataOffset;
    }

    private static byte[] Fault(string fault)
    {
        var g = ValidModel.Build();
        switch (fault)
        {
            case "no architecture": g.Remove(GgufKeys.Architecture); break;
            case "architecture is a number": g.Set(GgufKeys.Architecture, 5u); break;
            case "no embedding length": g.Remove("llama.embedding_length"); break;
            case "zero blocks": g.Set("llama.block_count", 0u); break;
            case "no context length": g.Remove("llama.context_length"); break;
            case "no head count": g.Remove("llama.attention.head_count"); break;
            case "kv heads do not divide heads": g.Set("llama.attention.head_count_kv", 3u); break;
            case "heads do not divide the width": g.Set("llama.attention.head_count", 5u).Set("llama.attention.head_count_kv", 5u); break;
            case "feed-forward length disagrees with the tensors": g.Set("llama.feed_forward_length", 128u); break;
            case "more blocks than tensors": g.Set("llama.block_count", 3u); break;
            case "no token embedding": g.Tensors.RemoveAll(t => t.Name == "token_embd.weight"); break;
            case "token embedding one row too many": g.Tensor("token_embd.weight", [ValidModel.Embedding, ValidModel.Tokens.Length + 1]); break;
            case "output head of the wrong width": g.Tensor("output.weight", [ValidModel.Embedding * 2, ValidModel.Tokens.Length]); break;
            case "no output norm": g.Tensors.RemoveAll(t => t.Name == "output_norm.weight"); break;
            case "attn_k of the wrong shape": g.Tensor("blk.1.attn_k.weight", [ValidModel.Embedding, ValidModel.Embedding]); break;
            case "no tokens": g.Remove(GgufKeys.Tokens); break;
            case "tokens are integers": g.Set(GgufKeys.Tokens, new[] { 1, 2, 3 }); break;
            case "no tokenizer model": g.Remove(GgufKeys.TokenizerModel); break;
            case "scores of the wrong length": g.Set(GgufKeys.Scores, new[] { 0f }); break;
            case "token types of the wrong length": g.Set(GgufKeys.TokenTypes, new[] { 1, 1 }); break;
            case "unknown token type": g.Set(GgufKeys.TokenTypes, ValidModel.Tokens.Select(_ => 9).ToArray()); break;
            case "duplicate token": g.Set(GgufKeys.Tokens, ValidModel.Tokens.Select((t, i) => i == 7 ? ValidModel.Tokens[6] : t).ToArray()); break;
            case "empty token": g.Set(GgufKeys.Tokens, ValidModel.Tokens.Select((t, i) => i == 7 ? "" : t).ToArray()); break;
            case "bos id out of range": g.Set(GgufKeys.BosId, 40u); break;
            case "negative eos id": g.Set(GgufKeys.EosId, -1); break;
            case "alignment not a power of two": g.Set(GgufKeys.Alignment, 48u); break;
            case "alignment is a string": g.Set(GgufKeys.Alignment, "32"); break;
            case "version 1": g.Version = 1; break;
            case "version 4": g.Version = 4; break;
            case "duplicate tensor": g.Tensors.Add(g.Tensors[1]); break;
            case "five dimensions": g.Tensors.Add(new("extra", [1, 1, 1, 1, 1])); break;
            case "zero dimension": g.Tensors.Add(new("extra", [4, 0])); break;
            case "unknown tensor type": g.Tensors.Add(new("extra", [32], (GgmlType)77)); break;
            case "Q8_0 row not a multiple of 32": g.Tensors.Add(new("extra", [33], GgmlType.Q8_0)); break;
            case "misaligned tensor offset": g.Tensors.Add(new("extra", [8], GgmlType.F32, 4)); break;
            case "overlapping tensors": g.Tensors.Add(new("extra", [8], GgmlType.F32, 0)); break;
            case "tensor beyond the end of the file": return Truncated(g, "extra", 64);
            case "empty tensor name": g.Tensors.Add(new("", [8])); break;
            case "64-byte tensor name": g.Tensors.Add(new(new string('n', 64), [8])); break;
            case "empty metadata key": g.Set("", 1u); break;
            case "array of arrays": return ArrayOfArrays(g);
            default: throw new ArgumentException(fault);
        }
        return g.ToBytes();
    }

    // A last tensor whose declared extent runs past the file's end.
    private static byte[] Truncated(RawGguf g, string name, int missingBytes)
    {
        g.Tensors.Add(new(name, [1024]));
        var bytes = g.ToBytes();
        return bytes[..^missingBytes];
    }

    // Retypes the array element type of test.ulongs (u64 = 10) as array (9).
    private static byte[] ArrayOfArrays(RawGguf g)
    {
        var bytes = g.ToBytes();
        var key = Encoding.UTF8.GetBytes("test.ulongs");
        var at = bytes.AsSpan().IndexOf(key) + key.Length;
        Assert.Equal((uint)GgufValueType.Array, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at)));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), (uint)GgufValueType.Array);
        return bytes;
    }
}
