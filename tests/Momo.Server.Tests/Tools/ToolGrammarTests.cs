using System.Text;
using Momo.Grammar.Matching;
using Momo.Server.Contracts;
using Momo.Server.Tools;

namespace Momo.Server.Tests.Tools;

/// <summary>The grammar each tool_choice builds, matched against the text of calls in each format.</summary>
public sealed class ToolGrammarTests
{
    private static readonly (string, string) Weather = ("get_weather", "{\"city\": \"Paris\"}");
    private static readonly (string, string) Time = ("get_time", "{\"zone\": \"CET\"}");

    public static TheoryData<string> Formats => new() { "Llama3", "Hermes", "Mistral", "Generic" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Required_allows_one_call_or_several_when_parallel_and_exactly_one_otherwise(string format)
    {
        var syntax = ToolCallSyntax.For(Enum.Parse<ChatFormat>(format));
        var parallel = Compile(ToolTestData.Offer("\"required\""), syntax);
        var single = Compile(ToolTestData.Offer("\"required\"", parallel: false), syntax);

        Assert.True(Accepts(parallel, syntax.Block([Weather])));
        Assert.True(Accepts(parallel, syntax.Block([Weather, Time])));
        Assert.True(Accepts(single, syntax.Block([Time])));
        Assert.False(Accepts(single, syntax.Block([Weather, Time])));
        Assert.False(Accepts(parallel, "Sure. " + syntax.Block([Weather])));
        Assert.False(Accepts(parallel, syntax.Block([("get_date", "{\"city\": \"Lyon\"}")])));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_named_choice_allows_only_that_function(string format)
    {
        var syntax = ToolCallSyntax.For(Enum.Parse<ChatFormat>(format));
        var named = Compile(ToolTestData.Offer("{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}"), syntax);

        Assert.True(Accepts(named, syntax.Block([Time])));
        Assert.False(Accepts(named, syntax.Block([Weather])));
        Assert.False(Accepts(named, syntax.Block([Time, Time])));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Auto_allows_prose_prose_then_calls_or_calls_alone(string format)
    {
        var syntax = ToolCallSyntax.For(Enum.Parse<ChatFormat>(format));
        var auto = Compile(ToolTestData.Offer(), syntax);

        Assert.True(Accepts(auto, "The peach floated down the river."));
        Assert.True(Accepts(auto, "Let me check. " + syntax.Block([Weather, Time])));
        Assert.True(Accepts(auto, syntax.Block([Weather])));
        Assert.False(Accepts(auto, "Let me check. " + syntax.Trigger + " nonsense"));
    }

    [Fact]
    public void Tool_choice_none_and_no_tools_build_no_grammar()
    {
        Assert.Null(ToolGrammar.Build(ToolTestData.Offer("\"none\""), ToolCallSyntax.Hermes));
        Assert.Null(ToolGrammar.Build(ToolRequest.Plain, ToolCallSyntax.Hermes));
    }

    [Fact]
    public void A_schema_the_compiler_refuses_is_a_400_naming_the_tool_with_the_schema_path()
    {
        var request = ToolTestData.Read("""{"tools":[{"type":"function","function":{"name":"f"}},{"type":"function","function":{"name":"g","parameters":{"type":"object","properties":{"a":{"type":"chronon"}}}}}]}""");

        var refused = Assert.Throws<ApiException>(() => ToolGrammar.Build(request, ToolCallSyntax.Hermes));

        Assert.Equal("tools[1].function.parameters", refused.Error.Param);
        Assert.Equal("invalid_schema", refused.Error.Code);
        Assert.Contains("/properties/a", refused.Error.Message, StringComparison.Ordinal);
    }

    private static CompiledGrammar Compile(ToolRequest request, ToolCallSyntax syntax) => new(ToolGrammar.Build(request, syntax)!.Root);

    private static bool Accepts(CompiledGrammar grammar, string text) =>
        grammar.Advance(grammar.Start, Encoding.UTF8.GetBytes(text)) is { CanEnd: true };
}
