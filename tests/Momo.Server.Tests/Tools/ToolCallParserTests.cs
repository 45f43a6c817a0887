using System.Text;
using Momo.Server.Tools;

namespace Momo.Server.Tests.Tools;

/// <summary>Generated text split into content and tool calls, whole or in pieces cut anywhere.</summary>
public sealed class ToolCallParserTests
{
    // Arguments with what a naive scan gets wrong: braces and brackets in strings, an escaped quote, a backslash
    // before the closing quote, nesting, and non-ASCII text.
    private static readonly (string Name, string Arguments)[] Calls =
    [
        ("get_weather", "{\"city\": \"P}a]r{i\\\"s\\\\\", \"days\": [1, {\"x\": []}]}"),
        ("get_time", "{\"zone\": \"CET ✓\"}"),
    ];

    public static TheoryData<string> Formats => new() { "Llama3", "Hermes", "Mistral", "Generic" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Content_before_the_calls_and_every_call_are_found_in_a_whole_answer(string format)
    {
        var syntax = Syntax(format);
        var (content, calls) = Parse(syntax, ["Let me look that up.\n" + syntax.Block(Calls)]);

        Assert.Equal("Let me look that up.\n", content);
        Assert.Equal(Calls, calls);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void An_answer_split_at_any_character_parses_as_the_whole_answer(string format)
    {
        var syntax = Syntax(format);
        var text = "Sure: " + syntax.Block(Calls);
        for (var cut = 0; cut <= text.Length; cut++)
        {
            var (content, calls) = Parse(syntax, [text[..cut], text[cut..]]);

            Assert.Equal("Sure: ", content);
            Assert.Equal(Calls, calls);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void An_answer_streamed_one_character_at_a_time_parses_as_the_whole_answer_and_streams_the_arguments(string format)
    {
        var syntax = Syntax(format);
        var text = syntax.Block(Calls);
        var parser = new ToolCallParser(syntax);
        var fragments = 0;
        var events = new List<ToolOutputEvent>();
        foreach (var c in text)
        {
            var step = parser.Feed(c.ToString());
            fragments += step.Count(e => e is ToolOutputEvent.Arguments);
            events.AddRange(step);
        }
        events.AddRange(parser.Finish());

        Assert.Equal(Calls, Assemble(events).Calls);
        Assert.True(fragments >= Calls.Sum(c => c.Arguments.Length), "arguments arrive as they are generated, not at the end of the call");
        Assert.DoesNotContain(events, e => e is ToolOutputEvent.Content);
    }

    [Theory]
    [InlineData("Hermes", "A <tool is not a <tool_cal")]
    [InlineData("Llama3", "JSON like {\"nam or {\"x\": 1} is prose")]
    [InlineData("Mistral", "[TOOL] and [TOOL_CALL")]
    public void Text_that_only_begins_like_a_trigger_is_content_once_the_answer_ends(string format, string text)
    {
        var parser = new ToolCallParser(Syntax(format));
        var streamed = parser.Feed(text).Concat(parser.Finish()).ToList();

        Assert.Equal(text, string.Concat(streamed.OfType<ToolOutputEvent.Content>().Select(c => c.Text)));
        Assert.Equal(0, parser.Calls);
    }

    [Fact]
    public void Text_that_may_begin_a_trigger_is_held_back_until_it_is_known()
    {
        var parser = new ToolCallParser(ToolCallSyntax.Hermes);

        Assert.Equal("Hello ", Content(parser.Feed("Hello <tool")));
        Assert.Equal("<tools are fun", Content(parser.Feed("s are fun")));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_call_cut_short_by_max_tokens_keeps_its_name_and_the_arguments_so_far(string format)
    {
        var syntax = Syntax(format);
        var text = syntax.Block(Calls);
        var cut = text.IndexOf("P}a", StringComparison.Ordinal);

        var (content, calls) = Parse(syntax, [text[..cut]]);

        Assert.Equal("", content);
        Assert.Equal([("get_weather", "{\"city\": \"")], calls);
    }

    [Fact]
    public void Text_that_strays_from_the_syntax_after_a_trigger_becomes_content()
    {
        var (content, calls) = Parse(ToolCallSyntax.Hermes, ["<tool_call>oops"]);

        Assert.Equal("<tool_call>oops", content);
        Assert.Empty(calls);
    }

    private static ToolCallSyntax Syntax(string format) => ToolCallSyntax.For(Enum.Parse<ChatFormat>(format));

    private static string Content(IEnumerable<ToolOutputEvent> events) => string.Concat(events.OfType<ToolOutputEvent.Content>().Select(c => c.Text));

    private static (string Content, (string Name, string Arguments)[] Calls) Parse(ToolCallSyntax syntax, IEnumerable<string> pieces)
    {
        var parser = new ToolCallParser(syntax);
        var events = pieces.SelectMany(p => parser.Feed(p)).ToList();
        events.AddRange(parser.Finish());
        return Assemble(events);
    }

    private static (string Content, (string Name, string Arguments)[] Calls) Assemble(IEnumerable<ToolOutputEvent> events)
    {
        var content = new StringBuilder();
        var calls = new List<(string Name, StringBuilder Arguments)>();
        foreach (var e in events)
        {
            switch (e)
            {
                case ToolOutputEvent.Content c:
                    content.Append(c.Text);
                    break;
                case ToolOutputEvent.CallStarted s:
                    Assert.Equal(calls.Count, s.Index);
                    calls.Add((s.Name, new StringBuilder()));
                    break;
                case ToolOutputEvent.Arguments a:
                    calls[a.Index].Arguments.Append(a.Fragment);
                    break;
            }
        }
        return (content.ToString(), [.. calls.Select(c => (c.Name, c.Arguments.ToString()))]);
    }
}
