using Momo.Server.Tests.Tools;

namespace Momo.Server.Tests.Messages;

/// <summary>
/// The official npm <c>@anthropic-ai/sdk</c> client against the real server: every scenario of
/// <c>tests/anthropic-node/messages.mjs</c> (messages.create, messages.stream with tools, countTokens), its package
/// installed by <c>npm ci</c> on first use (pinned, ignored by git).
/// </summary>
[Collection(MessagesServerCollection.Name)]
public sealed class AnthropicSdkTests(MessagesServerFixture fixture)
{
    [Fact]
    public async Task The_npm_anthropic_sdk_creates_streams_and_counts_messages_with_tools()
    {
        var results = await NodeClient.RunAsync("anthropic-node", "messages.mjs", fixture.Server, fixture.Server.Address.ToString().TrimEnd('/'), TimeSpan.FromMinutes(8));

        Assert.Equal(6, results.Count);
        Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
    }
}
