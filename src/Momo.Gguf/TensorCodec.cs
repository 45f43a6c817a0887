using System.Buffers.Binary;

namespace Momo.Gguf;

/// <summary>Encodes and decodes tensor data for the types the forge writes (F32, F16, Q8_0), and knows the
/// byte size of the common quantized types so that real models can be size-checked without reading them.</summary>
internal static class TensorCodec
{
    /// <summary>Elements per Q8_0 block (one f16 scale followed by 32 signed bytes).</summary>
    public const int Q8BlockSize = 32;
    private const int Q8BlockBytes = 2 + Q8BlockSize;

    // (bytes per block, elements per block) from ggml's type traits.
    private static readonly Dictionary<GgmlType, (int Bytes, int Elements)> Blocks = new()
    {
        [GgmlType.F32] = (4, 1), [GgmlType.F16] = (2, 1), [GgmlType.BF16] = (2, 1), [GgmlType.F64] = (8, 1),
        [GgmlType.I8] = (1, 1), [GgmlType.I16] = (2, 1), [GgmlType.I32] = (4, 1), [GgmlType.I64] = (8, 1),
        [GgmlType.Q4_0] = (18, 32), [GgmlType.Q4_1] = (20, 32), [GgmlType.Q5_0] = (22, 32),
        [GgmlType.Q5_1] = (24, 32), [GgmlType.Q8_0] = (34, 32), [GgmlType.Q8_1] = (36, 32),
        [GgmlType.Q2_K] = (84, 256), [GgmlType.Q3_K] = (110, 256), [GgmlType.Q4_K] = (144, 256),
        [GgmlType.Q5_K] = (176, 256), [GgmlType.Q6_K] = (210, 256), [GgmlType.Q8_K] = (292, 256),
        // The i-quants, ternary and MXFP4 types real models ship in, so the preflight can size-check them too.
        [GgmlType.IQ2_XXS] = (66, 256), [GgmlType.IQ2_XS] = (74, 256), [GgmlType.IQ3_XXS] = (98, 256),
        [GgmlType.IQ1_S] = (50, 256), [GgmlType.IQ4_NL] = (18, 32), [GgmlType.IQ3_S] = (110, 256),
        [GgmlType.IQ2_S] = (82, 256), [GgmlType.IQ4_XS] = (136, 256), [GgmlType.IQ1_M] = (56, 256),
        [GgmlType.TQ1_0] = (54, 256), [GgmlType.TQ2_0] = (66, 256), [GgmlType.MXFP4] = (17, 32),
    };

    /// <summary>Byte size of <paramref name="elements"/> values of <paramref name="type"/>, or null if unknown.</summary>
    public static long? ByteSize(GgmlType type, long elements) =>
        Blocks.TryGetValue(type, out var b) ? elements / b.Elements * b.Bytes : null;

    /// <summary>Elements per block of <paramref name="type"/> (1 for plain types), or null if unknown.</summary>
    public static int? BlockElements(GgmlType type) => Blocks.TryGetValue(type, out var b) ? b.Elements : null;

    /// <summary>Whether <see cref="Encode"/> and <see cref="Decode"/> support <paramref name="type"/>.</summary>
    public static bool CanCode(GgmlType type) => type is GgmlType.F32 or GgmlType.F16 or GgmlType.Q8_0;

    /// <summary>Encodes floats as <paramref name="type"/>; Q8_0 needs a length that is a multiple of 32.</summary>
    public static byte[] Encode(GgmlType type, ReadOnlySpan<float> values)
    {
        switch (type)
        {
            case GgmlType.F32:
            {
                var bytes = new byte[values.Length * 4];
                for (var i = 0; i < values.Length; i++)
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
                    }

                    return bytes;
            }
            case GgmlType.F16:
            {
                var bytes = new byte[values.Length * 2];
                for (var i = 0; i < values.Length; i++)
                    {
                        BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), (Half)values[i]);
                    }

                    return bytes;
            }
            case GgmlType.Q8_0:
                return EncodeQ8(values);
            default:
                throw new GgufException($"cannot encode tensor type {type}; only F32, F16 and Q8_0 are supported");
        }
    }

    /// <summary>Decodes <paramref name="count"/> values of <paramref name="type"/> (Q8_0 is dequantised).</summary>
    public static float[] Decode(GgmlType type, ReadOnlySpan<byte> bytes, int count)
    {
        var result = new float[count];
        switch (type)
        {
            case GgmlType.F32:
                for (var i = 0; i < count; i++)
                {
                    result[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                }

                break;
            case GgmlType.F16:
                for (var i = 0; i < count; i++)
                {
                    result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]);
                }

                break;
            case GgmlType.Q8_0:
                for (var b = 0; b < count / Q8BlockSize; b++)
                {
                    var block = bytes.Slice(b * Q8BlockBytes, Q8BlockBytes);
                    var d = (float)BinaryPrimitives.ReadHalfLittleEndian(block);
                    for (var j = 0; j < Q8BlockSize; j++)
                    {
                        result[b * Q8BlockSize + j] = d * (sbyte)block[2 + j];
                    }
                }
                break;
            default:
                throw new GgufException($"cannot decode tensor type {type}; only F32, F16 and Q8_0 are supported");
        }
        return result;
    }

    // Mirrors ggml's quantize_row_q8_0_ref: scale = max|x| / 127 stored as f16, q = round(x / scale).
    private static byte[] EncodeQ8(ReadOnlySpan<float> values)
    {
        if (values.Length % Q8BlockSize != 0)
        {
            throw new GgufException($"Q8_0 needs a multiple of {Q8BlockSize} values per row, got {values.Length}");
        }

        var bytes = new byte[values.Length / Q8BlockSize * Q8BlockBytes];
        for (var b = 0; b < values.Length / Q8BlockSize; b++)
        {
            var x = values.Slice(b * Q8BlockSize, Q8BlockSize);
            float amax = 0;
            foreach (var v in x)
            {
                amax = MathF.Max(amax, MathF.Abs(v));
            }

            var d = amax / 127f;
            var id = d != 0 ? 1f / d : 0f;
            var block = bytes.AsSpan(b * Q8BlockBytes, Q8BlockBytes);
            BinaryPrimitives.WriteHalfLittleEndian(block, (Half)d);
            for (var j = 0; j < Q8BlockSize; j++)
            {
                block[2 + j] = (byte)(sbyte)Math.Clamp(MathF.Round(x[j] * id, MidpointRounding.AwayFromZero), -127f, 127f);
            }
        }
        return bytes;
    }
}
