using System.Net;
using System.Text.Json;
using Momo.Testing;

namespace Momo.Server.Tests.Responses;

/// <summary>Function calls, namespaced functions, hosted tools and structured output on /v1/responses, over raw HTTP.</summary>
[Collection(ResponsesServerCollection.Name)]
public sealed class ResponsesToolTests(ResponsesServerFixture fixture)
{
    [Fact]
    public async Task A_required_function_call_round_trips_through_function_call_output()
    {
        var (status, body) = await fixture.PostAsync(
            $$"""{"input":"What is the weather in Osaka?","tools":[{{ResponsesTestData.Weather}}],"tool_choice":"required","parallel_tool_calls":false,"temperature":0,"max_output_tokens":200}""");

        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal("completed", body.GetProperty("status").GetString());
        var call = Assert.Single(body.GetProperty("output").EnumerateArray());
        Assert.Equal("function_call", call.GetProperty("type").GetString());
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.StartsWith("fc_", call.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("call_", call.GetProperty("call_id").GetString(), StringComparison.Ordinal);
        Assert.False(call.TryGetProperty("namespace", out _));
        ResponsesTestData.AssertWeatherArguments(call.GetProperty("arguments").GetString()!);

        // The client sends the call back as it came, with the function's output, and the model answers from it.
        var result = """{"type":"function_call_output","call_id":"CALL","output":"Sunny, 21 C"}""".Replace("CALL", call.GetProperty("call_id").GetString(), StringComparison.Ordinal);
        var turn = $$"""{"input":[{"role":"user","content":"What is the weather in Osaka?"},{{call}},{{result}}],"tools":[{{ResponsesTestData.Weather}}],"tool_choice":"none","max_output_tokens":3}""";
        var (secondStatus, second) = await fixture.PostAsync(turn);
        var withoutResult = await fixture.InputTokensAsync(
            $$"""{"input":[{"role":"user","content":"What is the weather in Osaka?"},{{call}}],"tools":[{{ResponsesTestData.Weather}}]}""");

        Assert.True(secondStatus == HttpStatusCode.OK, second.ToString());
        Assert.Equal("message", second.GetProperty("output")[0].GetProperty("type").GetString());
        Assert.True(second.GetProperty("usage").GetProperty("input_tokens").GetInt32() > withoutResult);
    }

    [Fact]
    public async Task A_namespaced_function_is_called_by_its_own_name_and_answers_with_its_namespace()
    {
        var (status, body) = await fixture.PostAsync(
            $$"""{"input":"Send a helper.","tools":[{{ResponsesTestData.Weather}},{{ResponsesTestData.Agents}}],"tool_choice":{"type":"function","name":"spawn_agent"},"temperature":0,"max_output_tokens":200}""");

        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var call = Assert.Single(body.GetProperty("output").EnumerateArray());
        Assert.Equal("spawn_agent", call.GetProperty("name").GetString());
        Assert.Equal("multi_agent_v1", call.GetProperty("namespace").GetString());
        using var arguments = JsonDocument.Parse(call.GetProperty("arguments").GetString()!);
        Assert.Contains(arguments.RootElement.GetProperty("message").GetString(), new[] { "Find the peach.", "Count the demons." });

        // Sent back with its namespace, as Codex does, the call is history.
        var (backStatus, back) = await fixture.PostAsync(
            $$"""{"input":[{"role":"user","content":"Send a helper."},{{call}},{"type":"function_call_output","call_id":"{{call.GetProperty("call_id").GetString()}}","output":"started"}],"tools":[{{ResponsesTestData.Agents}}],"max_output_tokens":2}""");
        Assert.True(backStatus == HttpStatusCode.OK, back.ToString());
    }

    [Fact]
    public async Task A_hosted_tool_is_left_out_of_the_prompt_and_echoed()
    {
        var withSearch = await fixture.InputTokensAsync($$"""{"input":"The dog said","tools":[{{ResponsesTestData.Weather}},{{ResponsesTestData.WebSearch}}]}""");
        var without = await fixture.InputTokensAsync($$"""{"input":"The dog said","tools":[{{ResponsesTestData.Weather}}]}""");

        var (status, body) = await fixture.PostAsync(
            $$"""{"input":"The dog said","tools":[{{ResponsesTestData.WebSearch}},{{ResponsesTestData.Weather}}],"tool_choice":"auto","max_output_tokens":2}""");

        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(without, withSearch);
        Assert.Equal("web_search", body.GetProperty("tools")[0].GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("""{"type":"web_search"}""")]
    [InlineData("""{"type":"file_search"}""")]
    public async Task A_tool_choice_naming_a_hosted_tool_is_refused(string choice)
    {
        var (status, body) = await fixture.PostAsync(
            $$"""{"input":"The dog said","tools":[{{ResponsesTestData.WebSearch}},{{ResponsesTestData.Weather}}],"tool_choice":{{choice}} }""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("tool_choice", body.GetProperty("error").GetProperty("param").GetString());
        Assert.Contains("cannot run", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_json_schema_text_format_answers_json_that_validates()
    {
        const string Schema =
            """{"type":"object","properties":{"finder":{"type":"string","enum":["old woman","old man"]},"count":{"type":"integer","minimum":1,"maximum":9}},"required":["finder","count"],"additionalProperties":false}""";

        var (status, body) = await fixture.PostAsync(
            """{"input":"Who found the peach?","text":{"format":{"type":"json_schema","name":"peach","strict":true,"schema":"""
            + Schema + """}},"temperature":0,"max_output_tokens":200}""");

        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal("completed", body.GetProperty("status").GetString());
        var text = Assert.Single(body.GetProperty("output").EnumerateArray()).GetProperty("content")[0].GetProperty("text").GetString()!;
        Assert.True(SchemaValidator.IsValid(Schema, text), text);
        Assert.Equal("json_schema", body.GetProperty("text").GetProperty("format").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_json_object_text_format_answers_a_json_object()
    {
        var (status, body) = await fixture.PostAsync("""{"input":"Tell the tale as JSON.","text":{"format":{"type":"json_object"}},"temperature":0,"max_output_tokens":200}""");

        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var text = body.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()!;
        Assert.True(text.TrimStart().StartsWith('{'), text);
        // The tiny family may still be inside the object at max_output_tokens; a finished answer must parse.
        if (body.GetProperty("status").GetString() == "completed")
        {
            using var parsed = JsonDocument.Parse(text);
            Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
        }
    }
}
