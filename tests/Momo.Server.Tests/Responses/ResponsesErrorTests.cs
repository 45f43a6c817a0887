using System.Net;

namespace Momo.Server.Tests.Responses;

/// <summary>Every refusal of /v1/responses is an OpenAI-shaped error naming the field, and the server keeps serving.</summary>
[Collection(ResponsesServerCollection.Name)]
public sealed class ResponsesErrorTests(ResponsesServerFixture fixture)
{
    public static TheoryData<string, HttpStatusCode, string?> Cases => new()
    {
        { "{not json", HttpStatusCode.BadRequest, null },
        { """{"model":"momo-test"}""", HttpStatusCode.BadRequest, "input" },
        { """{"input":[]}""", HttpStatusCode.BadRequest, "input" },
        { """{"input":42}""", HttpStatusCode.BadRequest, "input" },
        { """{"model":"gpt-9","input":"hi"}""", HttpStatusCode.NotFound, "model" },
        { """{"input":[{"role":"wizard","content":"hi"}]}""", HttpStatusCode.BadRequest, "input[0].role" },
        { """{"input":[{"role":"user","content":[{"type":"input_text","text":"hi"},{"type":"input_image","image_url":"x"}]}]}""", HttpStatusCode.BadRequest, "input[0].content[1]" },
        { """{"input":[{"type":"function_call","name":"f","arguments":"{}"}]}""", HttpStatusCode.BadRequest, "input[0].call_id" },
        { """{"input":[{"type":"function_call","call_id":"c","name":"f","arguments":{}}]}""", HttpStatusCode.BadRequest, "input[0].arguments" },
        { """{"input":[{"type":"function_call_output","output":"x"}]}""", HttpStatusCode.BadRequest, "input[0].call_id" },
        { """{"input":[{"type":"item_reference","id":"msg_1"}]}""", HttpStatusCode.BadRequest, "input[0].type" },
        { """{"input":[{"type":"local_shell_call","call_id":"c"}]}""", HttpStatusCode.BadRequest, "input[0].type" },
        { """{"input":"hi","tools":[{"type":"function","name":"bad name"}]}""", HttpStatusCode.BadRequest, "tools[0].name" },
        { """{"input":"hi","tools":[{"type":"function","name":"f","parameters":3}]}""", HttpStatusCode.BadRequest, "tools[0].parameters" },
        { """{"input":"hi","tools":[{"type":"namespace","name":"ns","tools":[{"type":"function","name":"f","parameters":[]}]}]}""", HttpStatusCode.BadRequest, "tools[0].tools[0].parameters" },
        { """{"input":"hi","tools":[{"type":"function","name":"f"},{"type":"function","name":"f"}]}""", HttpStatusCode.BadRequest, "tools[1].name" },
        { """{"input":"hi","tools":[{"type":"teleport"}]}""", HttpStatusCode.BadRequest, "tools[0].type" },
        { """{"input":"hi","tool_choice":"required"}""", HttpStatusCode.BadRequest, "tool_choice" },
        { """{"input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function","name":"g"}}""", HttpStatusCode.BadRequest, "tool_choice.name" },
        { """{"input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[]}}""", HttpStatusCode.BadRequest, "tool_choice.type" },
        { """{"input":"hi","text":{"format":{"type":"xml"}}}""", HttpStatusCode.BadRequest, "text.format.type" },
        { """{"input":"hi","text":{"format":{"type":"json_schema","name":"x"}}}""", HttpStatusCode.BadRequest, "text.format.schema" },
        { """{"input":"hi","text":{"format":{"type":"json_schema","name":"x","schema":{"type":"object","properties":{"a":{"$ref":"#/nowhere"}}}}}}""", HttpStatusCode.BadRequest, "text.format.schema" },
        { """{"input":"hi","tools":[{"type":"function","name":"f"}],"tool_choice":"required","text":{"format":{"type":"json_object"}}}""", HttpStatusCode.BadRequest, "text.format" },
        { """{"input":"hi","max_output_tokens":0}""", HttpStatusCode.BadRequest, "max_output_tokens" },
        { """{"input":"hi","temperature":3}""", HttpStatusCode.BadRequest, "temperature" },
        { """{"input":"hi","truncation":"auto"}""", HttpStatusCode.BadRequest, "truncation" },
        { """{"input":"hi","background":true}""", HttpStatusCode.BadRequest, "background" },
        { """{"input":"hi","include":"message.output_text.logprobs"}""", HttpStatusCode.BadRequest, "include" },
        { """{"input":"hi","include":["message.output_text.logprobs"],"top_logprobs":21}""", HttpStatusCode.BadRequest, "top_logprobs" },
        { """{"input":"hi","top_logprobs":2}""", HttpStatusCode.BadRequest, "top_logprobs" },
        { """{"input":"hi","logprobs":true}""", HttpStatusCode.BadRequest, "logprobs" },
        { """{"input":"hi","response_format":{"type":"json_object"}}""", HttpStatusCode.BadRequest, "response_format" },
        { """{"input":"hi","max_tokens":5}""", HttpStatusCode.BadRequest, "max_tokens" },
        { """{"input":"\ud800"}""", HttpStatusCode.BadRequest, "input" },
        { """{"input":[{"role":"user","content":[{"type":"input_text","text":"\udc00"}]}]}""", HttpStatusCode.BadRequest, "input[0].content[0].text" },
        { """{"input":"hi","reasoning":"high"}""", HttpStatusCode.BadRequest, "reasoning" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_request_is_an_openai_error_naming_the_field(string json, HttpStatusCode expected, string? param)
    {
        var (status, body) = await fixture.PostAsync(json);

        Assert.Equal(expected, status);
        var error = body.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Input_tokens_refuses_what_responses_refuses()
    {
        var (status, body) = await fixture.PostAsync("""{"input":[{"role":"wizard","content":"hi"}]}""", "v1/responses/input_tokens");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("input[0].role", body.GetProperty("error").GetProperty("param").GetString());
    }
}
