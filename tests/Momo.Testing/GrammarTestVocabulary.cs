using System.Text;
using Momo.Engine.Runtime;
using Momo.Grammar.Masks;

namespace Momo.Testing;

/// <summary>
/// A small vocabulary that can spell any JSON and then some: every single byte (so partial UTF-8 characters too), JSON
/// fragments that cross boundaries (<c>":</c>, <c>",</c>, <c>"}</c>), words, digits, escapes, multi-byte characters
/// and a trigger. Token 0 ends generation; token 1 is a control token without text.
/// </summary>
public sealed class GrammarTestVocabulary : ITokenText
{
    public const int EndOfText = 0;
    public const int Control = 1;

    private static readonly string[] Fragments =
    [
        "{\"", "\":", "\": ", "\",", "\", \"", "\"}", "},", "}]", "[{", "[]", "{}", "\"]", "[\"", ", ", ": ", "\":\"", "\": \"",
        "true", "false", "null", "nul", "tr", "name", "path", "command", "ing", "ls -la", " the", "é", "日本", "\U0001F600",
        "12", "00", "-1", "0.", ".5", "3.14", "100", "1e5", "\\n", "\\u00", "\\\"", "\\\\", "\\ud83d", "<tool_call>", "<tool",
        "_call>", "\n", "  ", "abc", "xyz", "-x", "x-", "low", "high", "fast", "kind", "\"a\"", "\"b\"", "AB-", "-12",
    ];

    private readonly byte[][] _pieces;

    public GrammarTestVocabulary()
    {
        var pieces = new List<byte[]> { Encoding.UTF8.GetBytes("</s>"), Array.Empty<byte>() };
        for (var b = 0; b < 256; b++)
        {
            pieces.Add([(byte)b]);
        }
        pieces.AddRange(Fragments.Select(Encoding.UTF8.GetBytes));
        pieces.Add([0xF0, 0x9F]); // halves of an emoji, as byte-level BPE splits them
        pieces.Add([0x98, 0x80]);
        _pieces = [.. pieces];
    }

    public int Count => _pieces.Length;

    public ReadOnlySpan<byte> Piece(int token) => _pieces[token];

    public bool IsEndOfGeneration(int token) => token == EndOfText;

    /// <summary>The grammar's index of these tokens.</summary>
    public GrammarVocabulary Index() => new(Count, token => _pieces[token], IsEndOfGeneration);

    /// <summary>The token of one byte.</summary>
    public static int Byte(byte value) => 2 + value;
}
