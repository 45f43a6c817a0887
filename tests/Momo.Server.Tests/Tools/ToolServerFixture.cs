using Momo.Testing;

namespace Momo.Server.Tests.Tools;

/// <summary>
/// A server over the tiny family with room for tool prompts: the tiny vocabulary spells JSON nearly a byte per
/// token, so two tool definitions and the Hermes instructions take about a thousand tokens.
/// </summary>
public sealed class ToolServerFixture : IAsyncLifetime
{
    private ServerInstance? _server;

    public ServerInstance Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await ServerInstance.StartAsync(
        TestFamilies.Tiny, new Dictionary<string, string?> { ["Momo:ContextSize"] = "4096", ["Momo:MaxSequences"] = "2" });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ToolServerCollection : ICollectionFixture<ToolServerFixture>
{
    public const string Name = "tool-server";
}
