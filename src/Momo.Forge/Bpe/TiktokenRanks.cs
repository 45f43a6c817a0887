using System.IO.Compression;
using System.Reflection;
using System.Text;

namespace Momo.Forge.Bpe;

/// <summary>The tiktoken rank files that NuGet's Microsoft.ML.Tokenizers.Data.* packages ship (deflated embedded
/// resources: an optional "Capacity: N" line, then one token per line, "base64-bytes" at the next rank or
/// "base64-bytes rank"): the real vocabularies of cl100k_base (GPT-4, the base of Llama 3's) and
/// o200k_base (GPT-4o).</summary>
internal static class TiktokenRanks
{
    /// <summary>Token bytes by rank; null where the file leaves a rank unused.</summary>
    public static byte[]?[] Load(TiktokenEncoding encoding)
    {
        var assembly = DataAssembly(encoding);
        var resource = encoding == TiktokenEncoding.Cl100kBase ? "cl100k_base.tiktoken.deflate" : "o200k_base.tiktoken.deflate";
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} has no resource {resource}");
        using var reader = new StreamReader(new DeflateStream(stream, CompressionMode.Decompress), Encoding.ASCII);
        var ranks = new List<byte[]?>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
            {
                continue;
            }
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0)
            {
                ranks.Add(Convert.FromBase64String(line));
                continue;
            }
            var rank = int.Parse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture);
            while (ranks.Count <= rank)
            {
                ranks.Add(null);
            }
            ranks[rank] = Convert.FromBase64String(line[..space]);
        }
        return [.. ranks];
    }

    // The packages' types are internal; their assemblies are loaded by name (the package references copy them).
    private static Assembly DataAssembly(TiktokenEncoding encoding) => Assembly.Load(encoding == TiktokenEncoding.Cl100kBase
        ? "Microsoft.ML.Tokenizers.Data.Cl100kBase"
        : "Microsoft.ML.Tokenizers.Data.O200kBase");
}

/// <summary>A tiktoken rank file.</summary>
public enum TiktokenEncoding
{
    /// <summary>cl100k_base: 100,256 ranks.</summary>
    Cl100kBase,

    /// <summary>o200k_base: 199,998 ranks.</summary>
    O200kBase,
}
