using System.Net;
using System.Text.Json.Nodes;
using Momo.Testing;
using static Momo.Server.Tests.Messages.MessagesHttp;

namespace Momo.Server.Tests.Messages;

/// <summary>
/// What Claude Code 2.1.328 really sends (captured bodies in Captures/: 12 tools with ~32k characters of schemas, system
/// text blocks with cache_control, a system entry inside messages, thinking, context_management, output_config,
/// metadata, defer_loading, a tool_use and its tool_result) is accepted whole, with its headers and <c>?beta=true</c>.
/// </summary>
[Collection(MessagesServerCollection.Name)]
public sealed class ClaudeCodeRequestTests(MessagesServerFixture fixture)
{
    private static readonly Dictionary<string, string> ClaudeCodeHeaders = new()
    {
        ["x-api-key"] = "sk-test",
        ["anthropic-version"] = "2023-06-01",
        ["anthropic-beta"] = "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27,effort-2025-11-24",
        ["anthropic-dangerous-direct-browser-access"] = "true",
        ["x-app"] = "cli",
    };

    [Theory]
    [InlineData("claude-code-request.json")]
    [InlineData("claude-code-request-turn2.json")]
    public async Task Claude_codes_captured_request_is_counted_whole(string capture)
    {
        var body = Capture(capture);
        body.Remove("max_tokens");
        body.Remove("stream");

        var (status, count) = await PostAsync(fixture.Server, body, "v1/messages/count_tokens?beta=true", ClaudeCodeHeaders);

        Assert.True(status == HttpStatusCode.OK, count.ToString());
        Assert.True(count.GetProperty("input_tokens").GetInt32() > 1000, count.ToString());
    }

    [Fact]
    public async Task Claude_codes_fields_and_message_shapes_are_served_in_a_streamed_answer()
    {
        // The captured turn with its long texts and most tools left out, so that it fits the test server's context.
        var body = Capture("claude-code-request-turn2.json");
        body["tools"] = new JsonArray([.. body["tools"]!.AsArray().Where(t => t!["name"]!.GetValue<string>() is "Read" or "DeferredToolPlaceholder").Select(t => t!.DeepClone())]);
        body["system"] = new JsonArray(body["system"]!.AsArray().Take(2).Select(b => b!.DeepClone()).ToArray());
        var messages = body["messages"]!.AsArray();
        messages[0] = JsonNode.Parse("""{"role":"user","content":[{"type":"text","text":"<system-reminder>short</system-reminder>"},{"type":"text","text":"Please read notes.txt."}]}""");
        messages[1] = JsonNode.Parse("""{"role":"system","content":"# Environment\nPrimary working directory: /tmp/cc-work"}""");
        body["max_tokens"] = 64;
        body["model"] = ServerInstance.ModelId;

        var events = await StreamAsync(fixture.Server, body);

        Assert.Equal("message_start", events[0].Name);
        Assert.Equal("message_stop", events[^1].Name);
        Assert.Contains(events[^2].Data.GetProperty("delta").GetProperty("stop_reason").GetString(), new[] { "end_turn", "max_tokens", "tool_use" });
    }

    private static JsonObject Capture(string name)
    {
        var body = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "Momo.Server.Tests", "Messages", "Captures", name)))!.AsObject();
        body["model"] = ServerInstance.ModelId;
        return body;
    }
}
