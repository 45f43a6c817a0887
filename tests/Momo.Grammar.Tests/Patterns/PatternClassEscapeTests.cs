using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Momo.Grammar.Masks;
using Momo.Grammar.Matching;
using Momo.Grammar.Patterns;
using Momo.Grammar.Tests.Schema;

namespace Momo.Grammar.Tests.Patterns;

/// <summary>
/// The class escapes <c>\s \S \d \D \w \W</c> and non-capturing groups in <c>pattern</c>, with ECMAScript's meanings
/// (OpenClaw's <c>sessions_spawn</c> tool asks for <c>^\S(?:.*\S)?$</c>).
/// </summary>
public sealed class PatternClassEscapeTests
{
    private const string SpawnPattern = @"^\S(?:.*\S)?$";

    private static CompiledGrammar Pattern(string pattern) =>
        OutputGrammar.JsonSchema(JsonDocument.Parse(JsonSerializer.Serialize(new { type = "string", pattern })).RootElement).Compiled;

    // Quoted as is, not serialized: encoders escape some white space (U+00A0, U+2028), and patterned strings take no escapes.
    private static bool Accepts(CompiledGrammar grammar, string text) => SchemaConformanceTests.Accepts(grammar, $"\"{text}\"");

    [Theory]
    [InlineData(SpawnPattern, "spawn a helper", true)]
    [InlineData(SpawnPattern, "x", true)]
    [InlineData(SpawnPattern, "日本", true)]
    [InlineData(SpawnPattern, "a b", true)]
    [InlineData(SpawnPattern, "", false)]
    [InlineData(SpawnPattern, " leading", false)]
    [InlineData(SpawnPattern, "trailing ", false)]
    [InlineData(@"^\D+$", "abc 日", true)]
    [InlineData(@"^\D+$", "a1", false)]
    [InlineData(@"^\W\w$", "-a", true)]
    [InlineData(@"^\W\w$", "日_", true)]
    [InlineData(@"^\W\w$", "ab", false)]
    [InlineData(@"^[\s\d]+$", "1 2 3", true)]
    [InlineData(@"^[\s\d]+$", "1a", false)]
    [InlineData(@"^[^\S]$", " ", true)]
    [InlineData(@"^[^\S]$", "a", false)]
    [InlineData(@"^[\w-]+$", "a-b_C9", true)]
    [InlineData(@"^[\w-]+$", "a.b", false)]
    [InlineData(@"^[\D\W]+$", "a-日", true)]
    [InlineData(@"^[^\d\s]+$", "ab-c", true)]
    [InlineData(@"^[^\d\s]+$", "ab c", false)]
    [InlineData(@"^(?:ab|c\S)+(?:x)?$", "abc-x", true)]
    [InlineData(@"^(?:ab|c\S)+(?:x)?$", "abc x", false)]
    [InlineData(@"\S\s\S", "no-spaces-here", false)]
    [InlineData(@"\S\s\S", "has a space", true)]
    // Texts keep to characters JSON may hold unescaped (no control characters, quotes or backslashes).
    public void Class_escapes_and_non_capturing_groups_match_as_in_ecma_regexes(string pattern, string text, bool matches)
    {
        Assert.Equal(matches, Accepts(Pattern(pattern), text));
        // .NET's ECMAScript mode agrees with ECMA-262 on these texts (it differs on non-ASCII white space, tested below).
        Assert.Equal(matches, Regex.IsMatch(text, pattern, RegexOptions.ECMAScript));
    }

    [Theory]
    [InlineData(@"^\s$", "\u00A0", true)]
    [InlineData(@"^\s$", "\u1680", true)]
    [InlineData(@"^\s$", "\u2000", true)]
    [InlineData(@"^\s$", "\u200A", true)]
    [InlineData(@"^\s$", "\u2028", true)]
    [InlineData(@"^\s$", "\u2029", true)]
    [InlineData(@"^\s$", "\u202F", true)]
    [InlineData(@"^\s$", "\u205F", true)]
    [InlineData(@"^\s$", "\u3000", true)]
    [InlineData(@"^\s$", "\uFEFF", true)]
    [InlineData(@"^\s$", "\u0085", false)] // NEL is white space to .NET, not to ECMAScript
    [InlineData(@"^\s$", "\u200B", false)] // zero width space is not white space
    [InlineData(@"^\s$", "日", false)]
    [InlineData(@"^\S$", "\u00A0", false)]
    [InlineData(@"^\S$", "\u0085", true)]
    [InlineData(@"^\S$", "é", true)]
    [InlineData(@"^[^\s]$", "\u3000", false)]
    [InlineData(@"^.$", "\u2028", false)] // line terminators are not matched by '.'
    [InlineData(@"^.$", "\u2029", false)]
    [InlineData(@"^.$", "\u00A0", true)]
    [InlineData(@"^\d$", "\u0663", false)] // ARABIC-INDIC DIGIT THREE: \d is [0-9]
    [InlineData(@"^\D$", "\u0663", true)]
    [InlineData(@"^\w$", "é", false)] // \w is [A-Za-z0-9_]
    [InlineData(@"^\W$", "é", true)]
    [InlineData(SpawnPattern, "\u00A0task", false)]
    [InlineData(SpawnPattern, "task\u3000", false)]
    [InlineData(SpawnPattern, "task\uFEFF", false)]
    [InlineData(SpawnPattern, "a\u00A0task", true)]
    [InlineData(SpawnPattern, "a\u2028b", false)]
    public void Non_ascii_characters_are_classed_as_ecma_262_specifies(string pattern, string text, bool matches) =>
        Assert.Equal(matches, Accepts(Pattern(pattern), text));

    [Fact]
    public void Every_character_is_classed_alike_from_its_utf8_bytes_and_from_its_code_point()
    {
        var bytes = new byte[4];
        for (var codePoint = 0x80; codePoint <= 0x10FFFF; codePoint++)
        {
            if (codePoint is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }
            var length = new Rune(codePoint).EncodeToUtf8(bytes);
            var read = PatternSymbols.Lead(bytes[0]);
            for (var i = 1; i < length && read.Symbol < 0; i++)
            {
                Assert.Contains(PatternSymbols.Of(codePoint), PatternSymbols.ReachableFrom(read.Node));
                read = PatternSymbols.Continue(read.Node, bytes[i]);
            }
            Assert.Equal(PatternSymbols.Of(codePoint), read.Symbol);
        }
    }

    [Fact]
    public void A_leading_byte_that_may_start_white_space_is_allowed_only_until_the_character_turns_out_to_be_white_space()
    {
        var grammar = Pattern(SpawnPattern);
        var open = grammar.Advance(grammar.Start, (byte)'"')!;
        var pending = grammar.Advance(open, [0xC2]);
        Assert.NotNull(pending); // U+0080..U+00BF: most are not white space
        Assert.Null(grammar.Advance(pending!, 0xA0)); // U+00A0 NO-BREAK SPACE
        Assert.NotNull(grammar.Advance(pending!, 0xA9)); // U+00A9 ©
        var ended = grammar.Advance(open, Encoding.UTF8.GetBytes("task\u3000"));
        Assert.NotNull(ended); // white space inside is fine
        Assert.Null(grammar.Advance(ended!, (byte)'"')); // not at the end
    }

    [Fact]
    public void Token_masks_refuse_tokens_that_end_a_spawn_task_in_unicode_white_space()
    {
        var tokens = new Tokens(["</s>", "\"", "task", "\u00A0", "task\u3000", "\u2028", "é", "x\u00A0y", "\u00A0\"", "\"\u00A0", "\u00C2"]);
        var vocabulary = new GrammarVocabulary(tokens.Count, tokens.Piece, Tokens.IsEndOfGeneration);
        var grammar = Pattern(SpawnPattern);
        var mask = new ulong[vocabulary.Words];
        var open = grammar.Advance(grammar.Start, (byte)'"')!;
        TokenMasks.Compute(grammar, vocabulary, open, mask);
        Assert.Equal(new[] { "task", "task\u3000", "é", "x\u00A0y", "\u00C2" }, tokens.Allowed(mask));
        var inside = grammar.Advance(open, Encoding.UTF8.GetBytes("task"))!;
        TokenMasks.Compute(grammar, vocabulary, inside, mask);
        Assert.Equal(new[] { "\"", "task", "\u00A0", "task\u3000", "é", "x\u00A0y", "\u00C2" }, tokens.Allowed(mask));
    }

    private sealed class Tokens(string[] texts)
    {
        private readonly byte[][] _pieces = [.. texts.Select(Encoding.UTF8.GetBytes)];

        public int Count => _pieces.Length;

        public byte[] Piece(int token) => _pieces[token];

        public static bool IsEndOfGeneration(int token) => token == 0;

        public string[] Allowed(ulong[] mask) =>
            [.. Enumerable.Range(1, Count - 1).Where(t => (mask[t >> 6] & (1UL << (t & 63))) != 0).Select(t => texts[t])];
    }
}
