using Xunit.Abstractions;

namespace Momo.Engine.Tests.Preflight;

/// <summary>
/// Random mutations of a valid header (byte flips, hostile integers, insertions, deletions, duplicated spans,
/// truncations) through the server's preflight: each ends in the project's own exception or passes, with memory
/// bounded by the file's size. Seeded, so a failure names a reproducible case.
/// </summary>
public sealed class PreflightFuzzTests(ITestOutputHelper output)
{
    private const int Mutations = 12_000;
    private const int Seed = 20261129;

    private static readonly ulong[] Hostile = [0, 1, 0x7F, 0xFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x8000_0000_0000_0000, ulong.MaxValue, 1UL << 32, 1UL << 40];

    [Fact]
    public void Twelve_thousand_random_mutations_of_a_valid_header_end_in_the_preflights_own_exception_or_pass()
    {
        var valid = ValidModel.Build().ToBytes();
        int headerLength;
        using (var stream = new MemoryStream(valid))
        {
            headerLength = (int)Momo.Gguf.GgufReader.Read(stream).DataOffset;
        }
        var random = new Random(Seed);
        var refused = 0;
        for (var i = 0; i < Mutations; i++)
        {
            var bytes = Mutate(valid, headerLength, random);
            if (Preflight.Run(bytes, $"mutation {i} (seed {Seed})") is not null)
            {
                refused++;
            }
        }
        output.WriteLine($"{Mutations} mutations, {refused} refused, {Mutations - refused} passed");
        // Nearly every mutation breaks something; a few land on values that do not matter (a score, a name).
        Assert.InRange(refused, Mutations / 2, Mutations);
    }

    private static byte[] Mutate(byte[] valid, int headerLength, Random random)
    {
        var bytes = new List<byte>(valid);
        var edits = 1 + random.Next(4);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(Math.Min(headerLength, bytes.Count));
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    var value = BitConverter.GetBytes(Hostile[random.Next(Hostile.Length)]);
                    var width = random.Next(2) == 0 ? 4 : 8;
                    for (var k = 0; k < width && at + k < bytes.Count; k++)
                    {
                        bytes[at + k] = value[k];
                    }
                    break;
                case 3:
                    bytes.InsertRange(at, Enumerable.Range(0, 1 + random.Next(16)).Select(_ => (byte)random.Next(256)));
                    break;
                case 4:
                    bytes.RemoveRange(at, Math.Min(1 + random.Next(16), bytes.Count - at));
                    break;
                default:
                    var from = random.Next(Math.Min(headerLength, bytes.Count));
                    var length = Math.Min(1 + random.Next(64), bytes.Count - from);
                    bytes.InsertRange(at, bytes.GetRange(from, length));
                    break;
            }
        }
        if (random.Next(10) == 0)
        {
            bytes.RemoveRange(random.Next(bytes.Count), 1);
        }
        return [.. bytes];
    }
}
