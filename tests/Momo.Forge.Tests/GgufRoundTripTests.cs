using Momo.Gguf;

namespace Momo.Forge.Tests;

public class GgufRoundTripTests
{
    private static GgufFile WriteAndRead(GgufWriter writer, out MemoryStream stream)
    {
        stream = new MemoryStream();
        writer.WriteTo(stream);
        stream.Position = 0;
        return GgufReader.Read(stream);
    }

    [Fact]
    public void Every_metadata_value_type_survives_a_round_trip()
    {
        var w = new GgufWriter();
        object[] values =
        [
            (byte)7, (sbyte)-7, (ushort)700, (short)-700, 70000u, -70000, 1.5f, true, "peach ▁ momo", ulong.MaxValue, long.MinValue, Math.PI,
            new[] { "a", "", "ō" }, new[] { 1f, -2f }, new[] { 1, -2, 3 }, new byte[] { 1, 2 }, new[] { true, false }, new[] { 1UL, 2UL }, new[] { 0.25, 0.5 },
        ];
        for (var i = 0; i < values.Length; i++)
        {
            w.Metadata.Set($"test.key{i}", values[i]);
        }

        var file = WriteAndRead(w, out _);
        Assert.Equal(3u, file.Version);
        Assert.Equal(values.Length, file.Metadata.Count);
        for (var i = 0; i < values.Length; i++)
        {
            var read = file.Metadata.Get($"test.key{i}");
            Assert.Equal(values[i].GetType(), read!.GetType());
            Assert.Equal(values[i], read);
        }
    }

    [Theory]
    [InlineData(GgmlType.F32, 0.0)]
    [InlineData(GgmlType.F16, 1e-3)]
    [InlineData(GgmlType.Q8_0, 1.0 / 127)]
    public void Tensors_survive_a_round_trip_within_the_precision_of_their_type(GgmlType type, double relativeTolerance)
    {
        var rng = new Random(1);
        var a = Enumerable.Range(0, 64 * 3).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        var b = Enumerable.Range(0, 32).Select(i => i * 0.1f).ToArray();
        var w = new GgufWriter();
        w.Metadata.Set(GgufKeys.Alignment, 64u);
        w.AddTensor("a", type, [64, 3], a).AddTensor("norm", GgmlType.F32, [32], b);
        var file = WriteAndRead(w, out var stream);
        Assert.Equal(64, file.Alignment);
        Assert.Equal(0, file.DataOffset % 64);
        Assert.Equal([64L, 3L], file.Tensor("a").Dimensions);
        Assert.Equal(type, file.Tensor("a").Type);
        var readA = GgufReader.ReadTensor(stream, file, "a");
        for (var i = 0; i < a.Length; i++)
        {
            Assert.True(Math.Abs(readA[i] - a[i]) <= relativeTolerance * 2 + 1e-7, $"element {i}: {a[i]} vs {readA[i]}");
        }

        Assert.Equal(b, GgufReader.ReadTensor(stream, file, "norm"));
    }

    [Fact]
    public void Reader_rejects_a_truncated_file_naming_the_tensor()
    {
        var w = new GgufWriter();
        w.AddTensor("big", GgmlType.F32, [1024], new float[1024]);
        var stream = new MemoryStream();
        w.WriteTo(stream);
        var cut = new MemoryStream(stream.ToArray()[..^100]);
        var e = Assert.Throws<GgufException>(() => GgufReader.Read(cut));
        Assert.Contains("'big'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Typed_accessors_name_the_missing_or_mistyped_key()
    {
        var m = new GgufMetadata().Set("x.name", "momo");
        Assert.Contains("'x.missing'", Assert.Throws<GgufException>(() => m.GetString("x.missing")).Message, StringComparison.Ordinal);
        Assert.Contains("'x.name'", Assert.Throws<GgufException>(() => m.GetUInt32("x.name")).Message, StringComparison.Ordinal);
    }
}
