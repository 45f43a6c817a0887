using System.Net;
using System.Text.Json;

namespace Momo.Server.Tests.Responses;

/// <summary>POST /v1/responses and /v1/responses/input_tokens over raw HTTP: the Response object and how input is read.</summary>
[Collection(ResponsesServerCollection.Name)]
public sealed class ResponsesApiTests(ResponsesServerFixture fixture)
{
    [Fact]
    public async Task A_string_input_cut_by_max_output_tokens_is_an_incomplete_response_with_one_message_and_usage()
    {
        var (status, body) = await fixture.PostAsync("""{"model":"momo-test","input":"Once upon a time","max_output_tokens":5,"temperature":0}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("resp_", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("response", body.GetProperty("object").GetString());
        Assert.Equal("incomplete", body.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", body.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("error").ValueKind);
        Assert.Equal(ServerInstance.ModelId, body.GetProperty("model").GetString());
        var message = Assert.Single(body.GetProperty("output").EnumerateArray());
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal("incomplete", message.GetProperty("status").GetString());
        Assert.StartsWith("msg_", message.GetProperty("id").GetString(), StringComparison.Ordinal);
        var part = Assert.Single(message.GetProperty("content").EnumerateArray());
        Assert.Equal("output_text", part.GetProperty("type").GetString());
        Assert.NotEmpty(part.GetProperty("text").GetString()!);
        Assert.Empty(part.GetProperty("annotations").EnumerateArray());
        var usage = body.GetProperty("usage");
        Assert.Equal(5, usage.GetProperty("output_tokens").GetInt32());
        Assert.True(usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32() >= 0);
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32() + 5, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Input_tokens_counts_exactly_the_prompt_the_response_used()
    {
        const string Request = """{"input":[{"role":"developer","content":"Be brief."},{"role":"user","content":"The dog said"}],"max_output_tokens":2}""";

        var counted = await fixture.InputTokensAsync(Request);
        var (status, body) = await fixture.PostAsync(Request);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(counted, body.GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task A_string_input_reads_as_one_user_message_item()
    {
        var asString = await fixture.InputTokensAsync("""{"input":"The old man went to the mountain"}""");
        var asItem = await fixture.InputTokensAsync(
            """{"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"The old man went to the mountain"}]}]}""");

        Assert.Equal(asString, asItem);
    }

    [Fact]
    public async Task Instructions_read_as_a_developer_message_before_the_input()
    {
        var withInstructions = await fixture.InputTokensAsync("""{"instructions":"Tell the tale.","input":"The dog said"}""");
        var asDeveloper = await fixture.InputTokensAsync(
            """{"input":[{"role":"developer","content":"Tell the tale."},{"role":"user","content":"The dog said"}]}""");
        var asSystem = await fixture.InputTokensAsync(
            """{"input":[{"role":"system","content":[{"type":"input_text","text":"Tell the tale."}]},{"role":"user","content":"The dog said"}]}""");
        var without = await fixture.InputTokensAsync("""{"input":"The dog said"}""");

        Assert.Equal(withInstructions, asDeveloper);
        Assert.Equal(withInstructions, asSystem);
        Assert.True(withInstructions > without);
    }

    [Fact]
    public async Task Reasoning_items_sent_back_are_dropped_and_assistant_output_text_is_history()
    {
        const string History = """{"type":"message","role":"assistant","content":[{"type":"output_text","text":"The monkey said","annotations":[]}]}""";
        const string Reasoning = """{"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"gAAAAB..."}""";

        var plain = await fixture.InputTokensAsync($$"""{"input":[{"role":"user","content":"The dog said"},{{History}}]}""");
        var withReasoning = await fixture.InputTokensAsync($$"""{"input":[{"role":"user","content":"The dog said"},{{Reasoning}},{{History}}]}""");
        var userOnly = await fixture.InputTokensAsync("""{"input":[{"role":"user","content":"The dog said"}]}""");

        Assert.Equal(plain, withReasoning);
        Assert.True(plain > userOnly);
    }

    [Fact]
    public async Task Settings_the_server_cannot_use_are_accepted_and_echoed()
    {
        var (status, body) = await fixture.PostAsync(
            """
            {"input":"The pheasant flew","max_output_tokens":2,"reasoning":{"effort":"high","summary":"auto"},"include":["reasoning.encrypted_content"],
             "prompt_cache_key":"k-1","client_metadata":{"a":"b"},"metadata":{"run":"7"},"store":false,"text":{"verbosity":"low"},"user":"u"}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("high", body.GetProperty("reasoning").GetProperty("effort").GetString());
        Assert.Equal("7", body.GetProperty("metadata").GetProperty("run").GetString());
        Assert.False(body.GetProperty("store").GetBoolean());
        Assert.Equal(2, body.GetProperty("max_output_tokens").GetInt32());
    }
}
