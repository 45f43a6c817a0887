namespace Momo.Server.Tests.Tools;

/// <summary>
/// The npm <c>openai</c> client (what most JavaScript agents use) against the real server: every scenario of
/// <c>tests/openai-node/tool-calls.mjs</c>, its package installed by <c>npm ci</c> on first use (pinned, ignored by git).
/// </summary>
[Collection(ToolServerCollection.Name)]
public sealed class NodeOpenAiClientTests(ToolServerFixture fixture)
{
    [Fact]
    public async Task The_npm_openai_client_calls_tools_streamed_and_not_and_gets_structured_output()
    {
        var results = await NodeOpenAiClient.RunAsync("tool-calls.mjs", fixture.Server, TimeSpan.FromMinutes(8));

        Assert.Equal(10, results.Count);
        Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
    }
}
