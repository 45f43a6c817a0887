namespace Momo.Forge.Bpe;

/// <summary>
/// Recovers BPE merges from tiktoken ranks, as converters of tiktoken vocabularies to Hugging Face and GGUF do: a token
/// of rank r is made by running BPE on its own bytes with only the merges of lower rank; the two parts left are its
/// merge, and merges take the rank order of the tokens they make.
/// </summary>
internal static class MergeDerivation
{
    /// <summary>(left, right) byte strings of each multi-byte token's merge, in rank order.</summary>
    public static List<(byte[] Left, byte[] Right)> Derive(byte[]?[] ranks)
    {
        // Latin-1 strings stand for byte strings: one char per byte, hashable and cheap to concatenate.
        var rankOf = new Dictionary<string, int>(ranks.Length, StringComparer.Ordinal);
        for (var r = 0; r < ranks.Length; r++)
        {
            if (ranks[r] is { } bytes)
            {
                rankOf[Latin1(bytes)] = r;
            }
        }
        var merges = new List<(byte[], byte[])>(ranks.Length);
        var parts = new List<string>();
        for (var r = 0; r < ranks.Length; r++)
        {
            if (ranks[r] is not { Length: > 1 } token)
            {
                continue;
            }
            parts.Clear();
            foreach (var b in token)
            {
                parts.Add(((char)b).ToString());
            }
            while (parts.Count > 2)
            {
                var best = -1;
                var bestRank = r;
                for (var i = 0; i + 1 < parts.Count; i++)
                {
                    if (rankOf.TryGetValue(parts[i] + parts[i + 1], out var pair) && pair < bestRank)
                    {
                        best = i;
                        bestRank = pair;
                    }
                }
                if (best < 0)
                {
                    break;
                }
                parts[best] += parts[best + 1];
                parts.RemoveAt(best + 1);
            }
            if (parts.Count == 2)
            {
                merges.Add((Bytes(parts[0]), Bytes(parts[1])));
            }
        }
        return merges;
    }

    private static string Latin1(byte[] bytes) => string.Create(bytes.Length, bytes, (span, b) =>
    {
        for (var i = 0; i < b.Length; i++)
        {
            span[i] = (char)b[i];
        }
    });

    private static byte[] Bytes(string latin1) => [.. latin1.Select(c => (byte)c)];
}
