using System.Text;

namespace Momo.Forge.Bpe;

/// <summary>
/// GPT-2's byte-level alphabet, which GGUF "gpt2" vocabularies and merges are written in: every byte maps to one
/// printable character (printable Latin-1 bytes to themselves, the rest to U+0100 onwards), so any byte string,
/// including half a UTF-8 character, is a valid token text.
/// </summary>
internal static class ByteLevelText
{
    private static readonly char[] ByteToChar = BuildTable();

    /// <summary>The token text of <paramref name="bytes"/>.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            text.Append(ByteToChar[b]);
        }
        return text.ToString();
    }

    private static char[] BuildTable()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }
}
