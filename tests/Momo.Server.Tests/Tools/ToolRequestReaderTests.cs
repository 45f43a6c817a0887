using Momo.Server.Contracts;
using Momo.Server.Tools;

namespace Momo.Server.Tests.Tools;

/// <summary>tools, tool_choice, parallel_tool_calls and response_format read, and every bad value refused naming its field.</summary>
public sealed class ToolRequestReaderTests
{
    private const string Weather = "{\"type\":\"function\",\"function\":" + ToolTestData.WeatherFunction + "}";

    [Fact]
    public void Tools_without_a_tool_choice_may_be_called_in_parallel()
    {
        var request = ToolTestData.Read($"{{\"tools\":[{Weather}]}}");

        Assert.Equal(ToolChoiceKind.Auto, request.Choice);
        Assert.True(request.ParallelCalls);
        Assert.True(request.MayCall);
        Assert.Equal("get_weather", request.Tools[0].Name);
        Assert.Equal(ToolTestData.WeatherPrompt, request.Tools[0].PromptJson);
    }

    [Fact]
    public void A_tool_definition_is_written_compactly_with_its_strings_untouched()
    {
        var request = ToolTestData.Read("{\"tools\":[ {\"type\":\"function\", \"function\": {\"name\":\"f\",\n \"description\":\"a \\\" b  c\"} } ]}");

        Assert.Equal("{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":\"a \\\" b  c\"}}", request.Tools[0].PromptJson);
    }

    [Fact]
    public void A_named_tool_choice_and_parallel_false_are_read()
    {
        var request = ToolTestData.Offer("{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}", parallel: false);

        Assert.Equal(ToolChoiceKind.Named, request.Choice);
        Assert.Equal("get_time", request.NamedFunction);
        Assert.False(request.ParallelCalls);
    }

    [Fact]
    public void Tool_choice_none_keeps_the_tools_but_allows_no_call()
    {
        var request = ToolTestData.Offer("\"none\"");

        Assert.Equal(2, request.Tools.Count);
        Assert.False(request.MayCall);
    }

    [Fact]
    public void A_json_schema_response_format_is_read()
    {
        var request = ToolTestData.Read("{\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"strict\":true,\"schema\":{\"type\":\"object\"}}}}");

        Assert.Equal(ResponseFormatKind.JsonSchema, request.Format);
        Assert.Equal("object", request.Schema!.Value.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("{\"tools\":[1]}", "tools[0]")]
    [InlineData("{\"tools\":[{\"type\":\"retrieval\"}]}", "tools[0].type")]
    [InlineData("{\"tools\":[{\"type\":\"function\"}]}", "tools[0].function")]
    [InlineData("{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a b\"}}]}", "tools[0].function.name")]
    [InlineData("{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"\\ud800\"}}]}", "tools[0].function.name")]
    [InlineData("{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}},{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}", "tools[1].function.name")]
    [InlineData("{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":[]}}]}", "tools[0].function.parameters")]
    [InlineData("{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":3}}]}", "tools[0].function.description")]
    [InlineData("{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"strict\":\"yes\"}}]}", "tools[0].function.strict")]
    [InlineData("{\"tool_choice\":\"required\"}", "tool_choice")]
    [InlineData("{\"tools\":[" + Weather + "],\"tool_choice\":\"always\"}", "tool_choice")]
    [InlineData("{\"tools\":[" + Weather + "],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"nope\"}}}", "tool_choice.function.name")]
    [InlineData("{\"tools\":[" + Weather + "],\"tool_choice\":{\"type\":\"allowed_tools\"}}", "tool_choice")]
    [InlineData("{\"tools\":[" + Weather + "],\"tool_choice\":\"\\ud800\"}", "tool_choice")]
    [InlineData("{\"response_format\":{\"type\":\"\\ud800\"}}", "response_format.type")]
    [InlineData("{\"parallel_tool_calls\":1}", "parallel_tool_calls")]
    [InlineData("{\"response_format\":\"json\"}", "response_format")]
    [InlineData("{\"response_format\":{\"type\":\"yaml\"}}", "response_format.type")]
    [InlineData("{\"response_format\":{\"type\":\"json_schema\"}}", "response_format.json_schema")]
    [InlineData("{\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\"}}}", "response_format.json_schema.schema")]
    [InlineData("{\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a b\",\"schema\":{}}}}", "response_format.json_schema.name")]
    [InlineData("{\"tools\":[" + Weather + "],\"response_format\":{\"type\":\"json_object\"}}", "response_format")]
    public void A_bad_value_is_a_400_naming_its_field(string fields, string param)
    {
        var refused = Assert.Throws<ApiException>(() => ToolTestData.Read(fields));

        Assert.Equal(400, refused.Status);
        Assert.Equal(param, refused.Error.Param);
    }

    [Fact]
    public void Response_format_with_tools_offered_only_as_context_is_allowed()
    {
        var request = ToolTestData.Read("{\"tools\":[" + Weather + "],\"tool_choice\":\"none\",\"response_format\":{\"type\":\"json_object\"}}");

        Assert.Equal(ResponseFormatKind.JsonObject, request.Format);
    }

    [Theory]
    [InlineData("{\"tools\":[" + Weather + "]}", "tools")]
    [InlineData("{\"tools\":[" + Weather + "],\"tool_choice\":\"required\"}", "tools")]
    public void The_completions_endpoint_refuses_tools(string fields, string param)
    {
        var refused = Assert.Throws<ApiException>(() => ToolTestData.Read(fields, chat: false));

        Assert.Equal(param, refused.Error.Param);
        Assert.Equal("unsupported_parameter", refused.Error.Code);
    }
}
