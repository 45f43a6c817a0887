using System.Net;
using System.Text.Json.Nodes;
using Momo.Testing;

namespace Momo.Server.Tests.Responses;

/// <summary>
/// The request bodies Codex CLI 0.169.0 sent to momo (captured on loopback, tests/Momo.Server.Tests/Responses/Captures):
/// developer and user messages, function calls with and without a namespace and their outputs, eight function
/// tools, the multi_agent_v1 namespace, web_search, reasoning, include, prompt_cache_key, client_metadata and
/// store false. Each must be read whole; only the model id is changed to the test server's.
/// </summary>
[Collection(ResponsesServerCollection.Name)]
public sealed class CodexRequestTests(ResponsesServerFixture fixture)
{
    [Theory]
    [InlineData("codex-request.json")]
    [InlineData("codex-request-turn2.json")]
    [InlineData("codex-spawn-agent-turn2.json")]
    [InlineData("codex-subagent-request.json")]
    public async Task A_request_codex_sent_is_read_whole(string capture)
    {
        var body = Capture(capture);
        body.Remove("stream");

        var tokens = await fixture.InputTokensAsync(body.ToJsonString());

        Assert.True(tokens > 1000, $"{tokens} tokens cannot hold Codex's instructions and tools");
    }

    [Fact]
    public async Task A_codex_turn_with_the_function_output_counts_more_than_the_turn_before_it()
    {
        var first = await fixture.InputTokensAsync(Capture("codex-request.json").ToJsonString());
        var second = await fixture.InputTokensAsync(Capture("codex-request-turn2.json").ToJsonString());

        Assert.True(second > first);
    }

    [Fact]
    public async Task A_codex_request_too_long_for_the_context_is_refused_with_the_code_codex_recognises()
    {
        var (status, body) = await fixture.PostAsync(Capture("codex-request.json").ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("context_length_exceeded", body.GetProperty("error").GetProperty("code").GetString());
    }

    private static JsonObject Capture(string name)
    {
        var body = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "Momo.Server.Tests", "Responses", "Captures", name)))!.AsObject();
        body["model"] = ServerInstance.ModelId;
        return body;
    }
}
