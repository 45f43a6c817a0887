namespace Momo.Forge.Corpus;

/// <summary>The corpus shipped inside this assembly: the author's own plain-English retelling of the Japanese folk
/// tale Momotarō (public domain). One paragraph per non-empty line.</summary>
internal static class CorpusText
{
    /// <summary>The full Momotarō text.</summary>
    public static string Momotaro => Load("momotaro.txt");

    /// <summary>The non-empty lines (paragraphs) of <paramref name="text"/>, trimmed.</summary>
    public static IReadOnlyList<string> Paragraphs(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

    /// <summary>The text of an embedded corpus file, with Unix line ends.</summary>
    public static string Load(string file)
    {
        var asm = typeof(CorpusText).Assembly;
        var name = asm.GetManifestResourceNames().Single(n => n.EndsWith("." + file, StringComparison.Ordinal));
        using var stream = asm.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
