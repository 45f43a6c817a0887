using System.Net;
using System.Text;
using System.Text.Json;

namespace Momo.Server.Tests;

/// <summary>Every refusal is an OpenAI-shaped error with the right status, and the server keeps serving afterwards.</summary>
[Collection(ServerCollection.Name)]
public sealed class ErrorResponseTests(ServerFixture fixture)
{
    private HttpClient Http => fixture.Server.Http;

    public static TheoryData<string, string, HttpStatusCode, string, string?> Cases => new()
    {
        { "v1/chat/completions", "{not json", HttpStatusCode.BadRequest, "invalid_request_error", null },
        { "v1/chat/completions", "", HttpStatusCode.BadRequest, "invalid_request_error", null },
        { "v1/chat/completions", "[]", HttpStatusCode.BadRequest, "invalid_request_error", null },
        { "v1/chat/completions", """{"model":"momo-test"}""", HttpStatusCode.BadRequest, "invalid_request_error", "messages" },
        { "v1/chat/completions", """{"messages":[]}""", HttpStatusCode.BadRequest, "invalid_request_error", "messages" },
        { "v1/chat/completions", """{"messages":[{"role":"wizard","content":"hi"}]}""", HttpStatusCode.BadRequest, "invalid_request_error", "messages[0].role" },
        { "v1/completions", """{"prompt":"hi","speculative":{"mode":"auto","lookup_tokens":0}}""", HttpStatusCode.BadRequest, "invalid_request_error", "speculative.lookup_tokens" },
        { "v1/completions", """{"prompt":"hi","speculative":{"lookup":false,"lookup_tokens":4}}""", HttpStatusCode.BadRequest, "invalid_request_error", "speculative.lookup_tokens" },
        { "v1/completions", """{"prompt":"hi","tools":[{"type":"function","function":{"name":"f","parameters":{}}}]}""", HttpStatusCode.BadRequest, "invalid_request_error", "tools" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":3}}]}""", HttpStatusCode.BadRequest, "invalid_request_error", "tools[0].function.parameters" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"x"}}]}]}""", HttpStatusCode.BadRequest, "invalid_request_error", "messages[0].content[1]" },
        { "v1/chat/completions", """{"messages":[{"role":"tool","content":"18 C"}]}""", HttpStatusCode.BadRequest, "invalid_request_error", "messages[0].tool_call_id" },
        { "v1/chat/completions", """{"messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f"}}]}]}""", HttpStatusCode.BadRequest, "invalid_request_error", "messages[0].tool_calls[0].function.arguments" },
        { "v1/chat/completions", """{"messages":[{"role":"function","name":"f","content":"x"}]}""", HttpStatusCode.BadRequest, "invalid_request_error", "messages[0].role" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"web_search_options":{}}""", HttpStatusCode.BadRequest, "invalid_request_error", "web_search_options" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"tool_choice":"required"}""", HttpStatusCode.BadRequest, "invalid_request_error", "tool_choice" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"function","function":{"name":"f"}}}""", HttpStatusCode.BadRequest, "invalid_request_error", "tool_choice" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"functions":[{"name":"f"}]}""", HttpStatusCode.BadRequest, "invalid_request_error", "functions" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"xml"}}""", HttpStatusCode.BadRequest, "invalid_request_error", "response_format.type" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"logprobs":"yes"}""", HttpStatusCode.BadRequest, "invalid_request_error", "logprobs" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"logprobs":3}""", HttpStatusCode.BadRequest, "invalid_request_error", "logprobs" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"top_logprobs":3}""", HttpStatusCode.BadRequest, "invalid_request_error", "top_logprobs" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"logprobs":false,"top_logprobs":0}""", HttpStatusCode.BadRequest, "invalid_request_error", "top_logprobs" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"logprobs":true,"top_logprobs":21}""", HttpStatusCode.BadRequest, "invalid_request_error", "top_logprobs" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"logprobs":true,"top_logprobs":-1}""", HttpStatusCode.BadRequest, "invalid_request_error", "top_logprobs" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"logprobs":true,"top_logprobs":2.5}""", HttpStatusCode.BadRequest, "invalid_request_error", "top_logprobs" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"modalities":["text","audio"]}""", HttpStatusCode.BadRequest, "invalid_request_error", "modalities" },
        { "v1/completions", """{"prompt":"hi","echo":true}""", HttpStatusCode.BadRequest, "invalid_request_error", "echo" },
        { "v1/completions", """{"prompt":"hi","best_of":3}""", HttpStatusCode.BadRequest, "invalid_request_error", "best_of" },
        { "v1/completions", """{"prompt":"hi","suffix":"end"}""", HttpStatusCode.BadRequest, "invalid_request_error", "suffix" },
        { "v1/completions", """{"prompt":"hi","logprobs":6}""", HttpStatusCode.BadRequest, "invalid_request_error", "logprobs" },
        { "v1/completions", """{"prompt":"hi","logprobs":true}""", HttpStatusCode.BadRequest, "invalid_request_error", "logprobs" },
        { "v1/completions", """{"prompt":"hi","logprobs":1,"top_logprobs":2}""", HttpStatusCode.BadRequest, "invalid_request_error", "top_logprobs" },
        { "tokenize", """{"with_pieces":true}""", HttpStatusCode.BadRequest, "invalid_request_error", "content" },
        { "tokenize", """{"content":5}""", HttpStatusCode.BadRequest, "invalid_request_error", "content" },
        { "detokenize", """{}""", HttpStatusCode.BadRequest, "invalid_request_error", "tokens" },
        { "detokenize", """{"tokens":[1,99999999]}""", HttpStatusCode.BadRequest, "invalid_request_error", "tokens[1]" },
        { "detokenize", """{"tokens":[-1]}""", HttpStatusCode.BadRequest, "invalid_request_error", "tokens[0]" },
        { "apply-template", """{"messages":[]}""", HttpStatusCode.BadRequest, "invalid_request_error", "messages" },
        { "apply-template", """{"messages":[{"role":"wizard","content":"hi"}]}""", HttpStatusCode.BadRequest, "invalid_request_error", "messages[0].role" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"temperature":3}""", HttpStatusCode.BadRequest, "invalid_request_error", "temperature" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"top_p":0}""", HttpStatusCode.BadRequest, "invalid_request_error", "top_p" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", HttpStatusCode.BadRequest, "invalid_request_error", "max_tokens" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"max_tokens":"ten"}""", HttpStatusCode.BadRequest, "invalid_request_error", "max_tokens" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"n":2}""", HttpStatusCode.BadRequest, "invalid_request_error", "n" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"presence_penalty":-3}""", HttpStatusCode.BadRequest, "invalid_request_error", "presence_penalty" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"logit_bias":{"abc":1}}""", HttpStatusCode.BadRequest, "invalid_request_error", "logit_bias" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"logit_bias":{"5":101}}""", HttpStatusCode.BadRequest, "invalid_request_error", "logit_bias" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"stop":[""]}""", HttpStatusCode.BadRequest, "invalid_request_error", "stop" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"stop":5}""", HttpStatusCode.BadRequest, "invalid_request_error", "stop" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"speculative":{"mode":"quadruple"}}""", HttpStatusCode.BadRequest, "invalid_request_error", "speculative.mode" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"speculative":{"draft_tokens":17}}""", HttpStatusCode.BadRequest, "invalid_request_error", "speculative.draft_tokens" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"speculative":{"qualified_tokens":0}}""", HttpStatusCode.BadRequest, "invalid_request_error", "speculative.qualified_tokens" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"speculative":{"mode":"two_tier","fuzzy_threshold":0.2}}""", HttpStatusCode.BadRequest, "invalid_request_error", "speculative.fuzzy_threshold" },
        { "v1/chat/completions", """{"model":"gpt-9","messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.NotFound, "invalid_request_error", "model" },
        { "v1/completions", """{"prompt":42}""", HttpStatusCode.BadRequest, "invalid_request_error", "prompt" },
        { "v1/completions", """{"max_tokens":4}""", HttpStatusCode.BadRequest, "invalid_request_error", "prompt" },
        { "v1/completions", """{"model":"nope","prompt":"x"}""", HttpStatusCode.NotFound, "invalid_request_error", "model" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_an_openai_error_and_the_server_still_serves_the_next_request(
        string path, string body, HttpStatusCode status, string type, string? param)
    {
        using var response = await Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
        var error = await ReadErrorAsync(response);
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        if (param is not null)
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }
        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"max_tokens":2,"tools":[{"type":"function","function":{"name":"f","parameters":{}}}],"tool_choice":"none"}""")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"max_tokens":2,"response_format":{"type":"text"},"logprobs":false}""")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"max_tokens":2,"user":"u1","metadata":{"a":"b"},"store":false,"tool_choice":"auto"}""")]
    public async Task Fields_that_change_nothing_here_are_accepted(string body)
    {
        using var response = await Http.PostAsync("v1/chat/completions", Json(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_model_answers_404_with_code_model_not_found()
    {
        using var response = await Http.PostAsync("v1/chat/completions", Json("""{"model":"gpt-9","messages":[{"role":"user","content":"hi"}]}"""));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model_not_found", (await ReadErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_answers_400_with_n_prompt_tokens_and_n_ctx()
    {
        var longText = string.Join(' ', Enumerable.Repeat("the old man and the old woman", 200));
        using var response = await Http.PostAsync("v1/completions", Json(JsonSerializer.Serialize(new { prompt = longText, max_tokens = 4 })));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ReadErrorAsync(response);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.True(error.GetProperty("n_prompt_tokens").GetInt32() > error.GetProperty("n_ctx").GetInt32());
        Assert.Equal(512, error.GetProperty("n_ctx").GetInt32());
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task An_unknown_route_under_v1_answers_an_openai_404()
    {
        using var response = await Http.GetAsync("v1/engines");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("invalid_request_error", (await ReadErrorAsync(response)).GetProperty("type").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Bytes_that_are_not_valid_UTF8_come_back_as_replacement_characters_not_an_error(bool stream)
    {
        // Forcing the byte token 0xC3 (a lead byte) three times in a row makes the model emit broken UTF-8,
        // which llama-server answers with HTTP 500.
        var leadByte = Momo.Forge.ForgeVocabulary.FirstByte + 0xC3;
        var body = $$$"""{"prompt":"The old man","max_tokens":3,"temperature":0,"stream":{{{(stream ? "true" : "false")}}},"logit_bias":{"{{{leadByte}}}":100}}""";

        using var response = await Http.PostAsync("v1/completions", Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        // JSON is written with the relaxed encoder, so the replacement character arrives as itself (UTF-8), unescaped.
        Assert.Contains("\uFFFD", text, StringComparison.Ordinal);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadErrorAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("error").Clone();
    }

    private async Task AssertStillServingAsync()
    {
        using var response = await Http.PostAsync("v1/completions", Json("""{"prompt":"The old man","max_tokens":3,"temperature":0}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
