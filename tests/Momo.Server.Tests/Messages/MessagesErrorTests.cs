using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Momo.Server.Tests.Messages.MessagesHttp;

namespace Momo.Server.Tests.Messages;

/// <summary>Refusals on /v1/messages are Anthropic errors, <c>{"type":"error","error":{"type","message"}}</c>, with the right status.</summary>
[Collection(MessagesServerCollection.Name)]
public sealed class MessagesErrorTests(MessagesServerFixture fixture)
{
    private ServerInstance Server => fixture.Server;

    private static JsonObject Hello() => Body($$"""{"model":"{{ServerInstance.ModelId}}","max_tokens":4,"messages":[{"role":"user","content":"Hello"}]}""");

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { """{"max_tokens":null}""", "max_tokens", "max_tokens is required" },
        { """{"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA=="}}]}]}""", "messages[0].content[0]", "'image' block" },
        { """{"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}]}""", "messages[0].content[0]", "'document' block" },
        { """{"top_logprobs":3}""", "top_logprobs", "top_logprobs is not a Messages API field" },
        { """{"tools":[{"type":"web_search_20250305","name":"web_search"}]}""", "tools[0].type", "server tool" },
        { """{"tools":[{"name":"read"}]}""", "tools[0].input_schema", "input_schema" },
        { """{"tool_choice":{"type":"tool","name":"missing"},"tools":[{"name":"read","input_schema":{"type":"object"}}]}""", "tool_choice.name", "not among the tools" },
        { """{"tool_choice":{"type":"any"}}""", "tool_choice", "no tools" },
        { """{"messages":[{"role":"tool","content":"x"}]}""", "messages[0].role", "user, assistant or system" },
        { """{"messages":[{"role":"user","content":[{"type":"tool_result"}]}]}""", "messages[0].content[0].tool_use_id", "tool_use_id" },
        { """{"messages":[{"role":"user","content":[{"type":"tool_use","id":"t","name":"read","input":{}}]}]}""", "messages[0].content[0]", "tool_use belongs in assistant" },
        { """{"output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}},"tools":[{"name":"read","input_schema":{"type":"object"}}]}""", "output_config.format", "cannot be combined" },
        { """{"output_config":{"verbosity":"low"}}""", "output_config.verbosity", "not served" },
        { """{"stop_sequences":[""]}""", "stop_sequences", "must not be empty" },
        { """{"temperature":-1}""", "temperature", "temperature" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_a_400_invalid_request_error_in_anthropics_shape_naming_the_field(string patch, string field, string says)
    {
        var body = Hello();
        foreach (var (name, value) in JsonNode.Parse(patch)!.AsObject())
        {
            body[name] = value?.DeepClone();
        }

        var (status, error) = await PostAsync(Server, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertAnthropicError(error, "invalid_request_error", says);
        Assert.Contains(field, error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string> HostileBodies => new()
    {
        """{"model":"momo-test","max_tokens":4,"messages":[{"role":"user","content":"\ud800"}]}""",
        """{"model":"momo-test","max_tokens":4,"system":"\udfff","messages":[{"role":"user","content":"x"}]}""",
        """{"model":"\ud800","max_tokens":4,"messages":[{"role":"user","content":"x"}]}""",
        """{"model":"momo-test","max_tokens":4,"stop_sequences":["\ud800"],"messages":[{"role":"user","content":"x"}]}""",
        """{"model":"momo-test","max_tokens":4,"messages":[{"role":"user","content":[{"type":"\ud800"}]}]}""",
        """{"model":"momo-test","max_tokens":4,"messages":[{"role":"\ud800","content":"x"}]}""",
        """{"model":"momo-test","max_tokens":4,"tools":[{"name":"\ud800","input_schema":{}}],"messages":[{"role":"user","content":"x"}]}""",
        """{"model":"momo-test","max_tokens":4,"output_config":{"\ud800":1},"messages":[{"role":"user","content":"x"}]}""",
        """{"model":"momo-test","max_tokens":4,"tool_choice":{"type":"\ud800"},"messages":[{"role":"user","content":"x"}]}""",
        """{"model":"momo-test","max_tokens":4,"\ud800":1,"messages":[{"role":"user","content":"x"}]}""",
        """{"model":"momo-test","max_tokens":0,"messages":[{"role":"user","content":"x"}]}""",
        """{"model":"momo-test","max_tokens":"4","messages":[{"role":"user","content":"x"}]}""",
        """{"model":"momo-test","max_tokens":4,"messages":5}""",
        """{"model":"momo-test","max_tokens":4,"messages":[]}""",
        """{"model":"momo-test","max_tokens":4,"messages":[{"role":"assistant","content":5}]}""",
        """{"model":"momo-test","max_tokens":4,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":7}]}]}""",
        """{"model":"momo-test","max_tokens":4,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"read","input":"x"}]}]}""",
        """{"model":"momo-test","max_tokens":4,"tools":{},"messages":[{"role":"user","content":"x"}]}""",
        """{"model":"momo-test","max_tokens":4,"thinking":5,"messages":[{"role":"user","content":"x"}]}""",
        """{"model":"momo-test","max_tokens":4,"tools":[{"name":"t","input_schema":{"type":"object","properties":{"a":{"$ref":"#/properties/a"}}}}],"tool_choice":{"type":"any"},"messages":[{"role":"user","content":"x"}]}""",
        "[1,2]",
        "null",
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task A_hostile_body_is_a_400_in_anthropics_shape_never_a_crash(string json)
    {
        using var response = await Server.Http.PostAsync("v1/messages", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetProperty("message").GetString()));
    }

    [Fact]
    public async Task An_unknown_model_is_a_404_not_found_error()
    {
        var body = Hello();
        body["model"] = "claude-sonnet-4-5";

        var (status, error) = await PostAsync(Server, body);

        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertAnthropicError(error, "not_found_error", "claude-sonnet-4-5");
    }

    [Fact]
    public async Task Malformed_json_and_an_unknown_route_answer_in_anthropics_shape()
    {
        using var malformed = await Server.Http.PostAsync("v1/messages", new StringContent("{\"model\":", System.Text.Encoding.UTF8, "application/json"));
        using var unknown = await Server.Http.PostAsync("v1/messages/batches", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        AssertAnthropicError(JsonDocument.Parse(await malformed.Content.ReadAsStringAsync()).RootElement, "invalid_request_error", "JSON");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        AssertAnthropicError(JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement, "not_found_error", "batches");
    }

    [Fact]
    public async Task Chat_completions_keep_openais_error_shape()
    {
        var (status, error) = await PostAsync(Server, Body("""{"model":"nope","messages":[{"role":"user","content":"x"}]}"""), "v1/chat/completions");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("model_not_found", error.GetProperty("error").GetProperty("code").GetString());
        Assert.False(error.TryGetProperty("type", out _));
    }

    internal static void AssertAnthropicError(JsonElement body, string type, string says)
    {
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal(type, body.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains(says, body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
