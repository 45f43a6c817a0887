using System.Net;
using System.Text;
using System.Text.Json;

namespace Momo.Server.Tests.Security;

/// <summary>
/// A table of bad inputs, each with the status, error type, code and param it must get: every configured limit
/// (each named in the message), and malformed or out-of-range fields. The server serves normally afterwards.
/// </summary>
public sealed class BadInputTableTests(LimitedServerFixture fixture) : IClassFixture<LimitedServerFixture>
{
    private const string Chat = "v1/chat/completions";
    private const string Text = "v1/completions";
    private const string Hi = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private const string Invalid = "invalid_request_error";

    // Bodies are written with single quotes for readability; Q turns them into JSON's double quotes.
    private static string Q(string body) => body.Replace('\'', '"');

    private static string C(string fields) => Q("{" + Hi + "," + fields + "}");

    /// <summary>(path, body, status, error.type, error.code or null = any, error.param or null = any, setting named or null).</summary>
    public static TheoryData<string, string, int, string, string?, string?, string?> Cases
    {
        get
        {
            var data = new TheoryData<string, string, int, string, string?, string?, string?>();
            void Add(string path, string body, int status, string? code = null, string? param = null, string? setting = null, string type = Invalid) =>
                data.Add(path, body, status, type, code, param, setting);
            string Messages(int n) => "[" + string.Join(",", Enumerable.Repeat("""{"role":"user","content":"hi"}""", n)) + "]";
            string Strings(int n, int length) => JsonSerializer.Serialize(Enumerable.Range(0, n).Select(i => new string((char)('a' + (i % 26)), length)));
            string Bias(int n) => "{" + string.Join(",", Enumerable.Range(1, n).Select(i => $"\"{i}\":1")) + "}";
            string Tools(int n, int descriptionLength) => JsonSerializer.Serialize(Enumerable.Range(0, n).Select(i => new
            {
                type = "function",
                function = new { name = $"tool{i}", description = new string('d', descriptionLength), parameters = new { type = "object" } },
            }));
            var longPrompt = JsonSerializer.Serialize(string.Join(' ', Enumerable.Repeat("the old man and the old woman", 20)));
            var hugeBody = "{" + Hi + ",\"user\":\"" + new string('x', LimitedServerFixture.MaxBodyBytes) + "\"}";

            // Limits, each named in the message.
            Add(Chat, Q($"{{'messages':{Messages(LimitedServerFixture.MaxMessages + 1)}}}"), 400, "too_many_messages", "messages", "MaxMessages");
            Add(Chat, C($"'max_tokens':33"), 400, "max_tokens_too_large", "max_tokens", "MaxTokensCap");
            Add(Chat, C($"'max_completion_tokens':1000"), 400, "max_tokens_too_large", "max_completion_tokens", "MaxTokensCap");
            Add(Text, """{"prompt":"x","max_tokens":100000}""", 400, "max_tokens_too_large", "max_tokens", "MaxTokensCap");
            Add(Chat, C($"'stop':{Strings(5, 2)}"), 400, "too_many_stop_sequences", "stop", "MaxStopSequences");
            Add(Text, Q($"{{'prompt':'x','stop':{Strings(100, 1)}}}"), 400, "too_many_stop_sequences", "stop", "MaxStopSequences");
            Add(Chat, C($"'stop':{Strings(1, 17)}"), 400, "stop_sequence_too_long", "stop", "MaxStopLength");
            Add(Text, Q($"{{'prompt':'x','stop':'{new string('s', 1000)}'}}"), 400, "stop_sequence_too_long", "stop", "MaxStopLength");
            Add(Chat, C($"'logit_bias':{Bias(9)}"), 400, "logit_bias_too_large", "logit_bias", "MaxLogitBias");
            Add(Text, Q($"{{'prompt':'x','logit_bias':{Bias(200)}}}"), 400, "logit_bias_too_large", "logit_bias", "MaxLogitBias");
            Add(Chat, C($"'tools':{Tools(5, 1)}"), 400, "too_many_tools", "tools", "MaxTools");
            Add(Chat, C($"'tools':{Tools(1, 600)}"), 400, "tool_schema_too_large", "tools[0]", "MaxToolSchemaBytes");
            Add(Text, Q($"{{'prompt':'x','tools':{Tools(2, 2000)}}}"), 400, "tool_schema_too_large", "tools[0]", "MaxToolSchemaBytes");
            Add(Text, Q($"{{'prompt':{longPrompt}}}"), 400, "prompt_too_long", "prompt", "MaxPromptTokens");
            Add(Chat, Q($"{{'messages':[{{'role':'user','content':{longPrompt}}}]}}"), 400, "prompt_too_long", "messages", "MaxPromptTokens");
            Add(Chat, hugeBody, 413, "request_too_large", null, "MaxBodyBytes");
            Add(Text, hugeBody.Replace(Hi, "\"prompt\":\"x\"", StringComparison.Ordinal), 413, "request_too_large", null, "MaxBodyBytes");

            // Malformed and out-of-range fields.
            Add(Chat, C($"'tools':'none'"), 400, null, "tools");
            Add(Chat, C($"'tools':{{'a':1}}"), 400, null, "tools");
            Add(Chat, C($"'stop':['']"), 400, null, "stop");
            Add(Text, """{"prompt":"x","stop":[1]}""", 400, null, "stop");
            Add(Chat, C($"'max_tokens':1e30"), 400, null, "max_tokens");
            Add(Chat, C($"'max_tokens':-5"), 400, null, "max_tokens");
            Add(Chat, C($"'max_tokens':2.5"), 400, null, "max_tokens");
            Add(Chat, C($"'temperature':'NaN'"), 400, null, "temperature");
            Add(Chat, C($"'temperature':1e308"), 400, null, "temperature");
            Add(Chat, C($"'temperature':'hot'"), 400, null, "temperature");
            Add(Chat, """{"messages":"hi"}""", 400, null, "messages");
            Add(Chat, """{"messages":[1,2]}""", 400);
            Add(Chat, """{"messages":[{"role":"user","content":5}]}""", 400);
            Add(Chat, """{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", 400, "unsupported_parameter", "messages[0].content[0]");
            Add(Chat, """{"messages":[{"role":null,"content":"hi"}]}""", 400, null, "messages[0].role");
            Add(Chat, C($"'stream':'yes'"), 400, null, "stream");
            Add(Chat, C($"'n':0"), 400, "unsupported_value", "n");
            Add(Chat, C($"'top_k':-1"), 400, null, "top_k");
            Add(Chat, C($"'min_p':2"), 400, null, "min_p");
            Add(Chat, C($"'frequency_penalty':5"), 400, null, "frequency_penalty");
            Add(Chat, C($"'seed':'abc'"), 400, null, "seed");
            Add(Chat, C($"'seed':1e100"), 400, null, "seed");
            Add(Chat, C($"'logit_bias':{{'-1':1}}"), 400, null, "logit_bias");
            Add(Chat, C($"'logit_bias':{{'999999':1}}"), 400, null, "logit_bias");
            Add(Chat, C($"'logit_bias':{{'5':'up'}}"), 400);
            Add(Chat, C($"'speculative':'pyramid'"), 400, null, "speculative");
            Add(Chat, C($"'speculative':{{'mode':'pyramid','fuzzy_threshold':2}}"), 400, null, "speculative.fuzzy_threshold");
            Add(Chat, C($"'speculative':{{'draft_tokens':0}}"), 400, null, "speculative.draft_tokens");
            Add(Chat, C($"'speculative':{{'qualified_tokens':33}}"), 400, null, "speculative.qualified_tokens");
            Add(Chat, C($"'extra':{new string('[', 100)}{new string(']', 100)}"), 400);
            Add(Chat, C($"'model':5"), 400, null, "model");
            Add(Chat, "null", 400);
            Add(Chat, "\"a string\"", 400);
            Add(Chat, """{"messages":[{"role":"user","content":"hi"}]""", 400);
            Add(Text, """{"prompt":["a","b"]}""", 400, null, "prompt");
            Add(Text, """{"prompt":[]}""", 400, null, "prompt");
            Add(Text, """{"prompt":null}""", 400, null, "prompt");
            Add(Text, """{"prompt":{"text":"x"}}""", 400, null, "prompt");
            Add(Text, """{"prompt":"x","stream_options":{"include_usage":"yes"}}""", 400);
            Add(Text, """{"prompt":"x","model":"gpt-4o"}""", 404, "model_not_found", "model");
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_bad_input_gets_its_status_and_a_well_formed_openai_error_naming_the_limit(
        string path, string body, int status, string type, string? code, string? param, string? setting)
    {
        using var response = await fixture.Server.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = document.RootElement.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("param", out var actualParam), "error lacks param");
        Assert.True(error.TryGetProperty("code", out var actualCode), "error lacks code");
        if (code is not null)
        {
            Assert.Equal(code, actualCode.GetString());
        }
        if (param is not null)
        {
            Assert.Equal(param, actualParam.GetString());
        }
        if (setting is not null)
        {
            Assert.Contains($"Momo:Limits:{setting}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_stopped_with_413_naming_the_limit()
    {
        // No Content-Length: Kestrel counts the bytes as they arrive.
        var body = "{" + Hi + ",\"user\":\"" + new string('x', 2 * LimitedServerFixture.MaxBodyBytes) + "\"}";
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, Chat) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await fixture.Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("request_too_large", document.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Requests_at_every_limit_are_served()
    {
        var body = JsonSerializer.Serialize(new
        {
            messages = Enumerable.Repeat(new { role = "user", content = "hi" }, LimitedServerFixture.MaxMessages),
            max_tokens = LimitedServerFixture.MaxTokensCap,
            stop = Enumerable.Range(0, LimitedServerFixture.MaxStopSequences).Select(i => new string((char)('p' + i), LimitedServerFixture.MaxStopLength)),
            logit_bias = Enumerable.Range(1, LimitedServerFixture.MaxLogitBias).ToDictionary(i => $"{i}", _ => 0),
        });

        using var response = await fixture.Server.Http.PostAsync(Chat, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_most_tools_allowed_pass_the_tool_limits_and_count_against_the_prompt_limit()
    {
        // Tools are written into the prompt, so on this server's 100-token prompt limit the request is refused for
        // its prompt length, not for its tools.
        var body = JsonSerializer.Serialize(new
        {
            messages = new[] { new { role = "user", content = "hi" } },
            tools = Enumerable.Range(0, LimitedServerFixture.MaxTools).Select(i => new { type = "function", function = new { name = $"t{i}" } }),
            tool_choice = "none",
        });

        using var response = await fixture.Server.Http.PostAsync(Chat, new StringContent(body, Encoding.UTF8, "application/json"));

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("prompt_too_long", document.RootElement.GetProperty("error").GetProperty("code").GetString());
    }
}
