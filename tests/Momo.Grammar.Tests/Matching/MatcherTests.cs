using System.Text;
using System.Text.Json;
using Momo.Grammar.Matching;
using Momo.Grammar.Tests.Schema;

namespace Momo.Grammar.Tests.Matching;

public sealed class MatcherTests
{
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static CompiledGrammar Schema(string schema) => OutputGrammar.JsonSchema(JsonDocument.Parse(schema).RootElement).Compiled;

    private static bool Accepts(CompiledGrammar grammar, string text) => SchemaConformanceTests.Accepts(grammar, text);

    private static bool IsPrefix(CompiledGrammar grammar, string text) => grammar.Advance(grammar.Start, Encoding.UTF8.GetBytes(text)) is not null;

    [Fact]
    public void Free_text_without_the_trigger_may_end_anywhere()
    {
        var grammar = OutputGrammar.Lazy(["<tool_call>"], OutputGrammar.Literal("<tool_call>{}</tool_call>")).Compiled;
        Assert.True(Accepts(grammar, ""));
        Assert.True(Accepts(grammar, "Hello <tool and <tool_cal but never the whole trigger. <"));
        Assert.True(Accepts(grammar, "日本語 \u0001 anything"));
    }

    [Fact]
    public void Text_after_the_trigger_must_follow_the_structured_grammar()
    {
        var grammar = OutputGrammar.Lazy(["<tool_call>"], OutputGrammar.Literal("<tool_call>{}</tool_call>")).Compiled;
        Assert.True(Accepts(grammar, "Let me call it. <tool_call>{}</tool_call>"));
        Assert.True(IsPrefix(grammar, "<<tool_call>{"));
        Assert.False(IsPrefix(grammar, "x<tool_call>["));
        Assert.False(Accepts(grammar, "x<tool_call>{}"));
        Assert.False(IsPrefix(grammar, "<tool_call>{}</tool_call> and more"));
    }

    [Fact]
    public void Any_of_several_triggers_starts_the_structured_grammar()
    {
        var structured = OutputGrammar.Choice(OutputGrammar.Literal("[TOOL]1"), OutputGrammar.Literal("<call>2"));
        var grammar = OutputGrammar.Lazy(["[TOOL]", "<call>"], structured).Compiled;
        Assert.True(Accepts(grammar, "a [TOO b [TOOL]1"));
        Assert.True(Accepts(grammar, "<ca<call>2"));
        Assert.False(IsPrefix(grammar, "<call>1"));
    }

    [Theory]
    [InlineData("\"\\u00e9\\n\\\"\\\\\\/\\b\\f\\r\\t\"", true)]
    [InlineData("\"\\ud83d\"", false)] // a lone surrogate would not decode
    [InlineData("\"\\x\"", false)]
    [InlineData("\"a\u0001\"", false)]
    [InlineData("\"😀日本\"", true)]
    public void Strings_follow_json_escapes_and_utf8(string text, bool valid)
    {
        Assert.Equal(valid, Accepts(Schema("""{"type":"string"}"""), text));
    }

    [Fact]
    public void Invalid_utf8_is_refused_inside_strings()
    {
        var grammar = Schema("""{"type":"string"}""");
        var open = grammar.Advance(grammar.Start, (byte)'"')!;
        Assert.Null(grammar.Advance(open, [0xC0, 0x80])); // overlong
        Assert.Null(grammar.Advance(open, [0xED, 0xA0, 0x80])); // surrogate
        Assert.Null(grammar.Advance(open, [0xF4, 0x90, 0x80, 0x80])); // above U+10FFFF
        Assert.Null(grammar.Advance(open, [0x80]));
        Assert.NotNull(grammar.Advance(open, [0xF0, 0x9F, 0x98, 0x80]));
        Assert.Null(grammar.Advance(grammar.Advance(open, [0xF0, 0x9F])!, (byte)'"')); // a character cut short
    }

    [Fact]
    public void String_lengths_count_characters_not_bytes()
    {
        var grammar = Schema("""{"type":"string","minLength":2,"maxLength":3}""");
        Assert.True(Accepts(grammar, "\"日本語\""));
        Assert.True(Accepts(grammar, "\"\\u0041😀\""));
        Assert.False(Accepts(grammar, "\"日本語x\""));
        Assert.False(Accepts(grammar, "\"😀\""));
    }

    [Theory]
    [InlineData("^[a-z0-9_-]+$", "ab_9-x", true)]
    [InlineData("^[a-z0-9_-]+$", "Ab", false)]
    [InlineData("^(ab|cd){2}x?$", "abcdx", true)]
    [InlineData("^(ab|cd){2}x?$", "abx", false)]
    [InlineData("^a.c$", "a日c", true)]
    [InlineData("^\\d{3}-\\w+$", "123-a_b", true)]
    [InlineData("^[^0-9]*$", "abc", true)]
    [InlineData("^[^0-9]*$", "a1", false)]
    [InlineData("needle", "haystack with a needle in it", true)]
    [InlineData("^start|end$", "start and more", true)]
    [InlineData("^start|end$", "more and end", true)]
    [InlineData("^start|end$", "the middle", false)]
    [InlineData("^a{2,3}$", "aaaa", false)]
    public void Patterns_of_the_supported_subset_match_as_in_ecma_regexes(string pattern, string text, bool matches)
    {
        var grammar = Schema(JsonSerializer.Serialize(new { type = "string", pattern }));
        Assert.Equal(matches, Accepts(grammar, JsonSerializer.Serialize(text, Unescaped)));
        Assert.Equal(matches, System.Text.RegularExpressions.Regex.IsMatch(text, pattern, System.Text.RegularExpressions.RegexOptions.ECMAScript));
    }

    [Theory]
    [InlineData("""{"type":"integer","minimum":10,"maximum":19}""", "1", true)]
    [InlineData("""{"type":"integer","minimum":10,"maximum":19}""", "2", false)] // no completion of "2" lies in [10, 19]
    [InlineData("""{"type":"integer","minimum":10,"maximum":19}""", "-", false)]
    [InlineData("""{"type":"integer","minimum":-5,"maximum":-3}""", "-", true)]
    [InlineData("""{"type":"number","minimum":0.25,"exclusiveMaximum":0.75}""", "0.7", true)]
    [InlineData("""{"type":"number","minimum":0.25,"exclusiveMaximum":0.75}""", "0.8", false)]
    [InlineData("""{"type":"number","minimum":0.25,"exclusiveMaximum":0.75}""", "1", false)]
    [InlineData("""{"type":"number","exclusiveMinimum":0,"maximum":0.001}""", "0.000", true)]
    [InlineData("""{"type":"integer"}""", "01", false)]
    [InlineData("""{"type":"integer"}""", "1.", false)]
    [InlineData("""{"type":"number"}""", "1e", false)]
    public void A_number_digit_is_allowed_only_if_some_completion_lies_within_the_bounds(string schema, string prefix, bool allowed)
    {
        Assert.Equal(allowed, IsPrefix(Schema(schema), prefix));
    }

    [Fact]
    public void At_most_one_space_follows_a_colon_or_a_comma_and_none_elsewhere()
    {
        var grammar = Schema("""{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"}},"required":["a","b"]}""");
        Assert.True(Accepts(grammar, """{"a": 1, "b": 2}"""));
        Assert.True(Accepts(grammar, """{"a":1,"b":2}"""));
        Assert.False(IsPrefix(grammar, """{"a":  1"""));
        Assert.False(IsPrefix(grammar, """{ "a":1"""));
        Assert.False(IsPrefix(grammar, "{\"a\":\n1"));
    }

    [Fact]
    public void Optional_properties_may_be_left_out_in_any_combination_but_keep_their_declared_order()
    {
        var grammar = Schema("""{"type":"object","properties":{"a":{"const":1},"b":{"const":2},"c":{"const":3}}}""");
        foreach (var text in new[] { "{}", """{"a":1}""", """{"b":2}""", """{"c":3}""", """{"a":1,"c":3}""", """{"b":2,"c":3}""", """{"a":1,"b":2,"c":3}""" })
        {
            Assert.True(Accepts(grammar, text), text);
        }
        Assert.False(IsPrefix(grammar, """{"b":2,"a"""));
        Assert.False(IsPrefix(grammar, """{,"""));
        Assert.False(Accepts(grammar, """{"a":1,}"""));
    }

    [Fact]
    public void Recursive_definitions_nest_to_any_depth()
    {
        var grammar = Schema("""{"$defs":{"list":{"type":"array","items":{"$ref":"#/$defs/list"}}},"$ref":"#/$defs/list"}""");
        Assert.True(Accepts(grammar, "[[[[[[[[[[]]]]]]]]],[]]"));
        Assert.False(Accepts(grammar, "[[]"));
    }

    [Fact]
    public void Match_states_are_persistent_so_branching_from_an_old_state_is_unaffected()
    {
        var grammar = Schema("""{"enum":["alpha","alps"]}""");
        var common = grammar.Advance(grammar.Start, Encoding.UTF8.GetBytes("\"alp"))!;
        var one = grammar.Advance(common, Encoding.UTF8.GetBytes("ha\""));
        var other = grammar.Advance(common, Encoding.UTF8.GetBytes("s\""));
        Assert.True(one is { CanEnd: true } && other is { CanEnd: true });
        Assert.Null(grammar.Advance(common, (byte)'x'));
    }
}
