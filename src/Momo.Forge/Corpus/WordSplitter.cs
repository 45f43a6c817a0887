using System.Text.RegularExpressions;

namespace Momo.Forge.Corpus;

/// <summary>Splits a paragraph into the pieces that our SPM vocabulary turns into single tokens: a word or a
/// punctuation mark, prefixed with U+2581 when a space preceded it (as llama.cpp escapes spaces). The first piece of a
/// paragraph gets the prefix too, as llama.cpp adds a leading space to text; this also keeps an opening quote ("▁\"")
/// apart from a closing one ("\""), which predict different things.</summary>
internal static partial class WordSplitter
{
    /// <summary>The SentencePiece space marker U+2581.</summary>
    public const string Space = "\u2581";

    /// <summary>The pieces of one paragraph, e.g. "Long ago, in" → ["▁Long", "▁ago", ",", "▁in"].</summary>
    public static IEnumerable<string> Pieces(string paragraph)
    {
        foreach (Match m in Piece().Matches(paragraph))
        {
            yield return (m.Index == 0 || m.Groups["sp"].Length > 0 ? Space : "") + m.Groups["tok"].Value;
        }
    }

    /// <summary>Whether a piece (without its ▁ prefix) is a word rather than punctuation.</summary>
    public static bool IsWord(string piece) => piece.TrimStart('\u2581') is { Length: > 0 } s && char.IsLetter(s[0]);

    [GeneratedRegex(@"(?<sp>\s*)(?<tok>\p{L}+(?:'\p{L}+)*|[^\s\p{L}])")]
    private static partial Regex Piece();
}
