using Momo.Testing;

namespace Momo.Server.Tests.Messages;

/// <summary>
/// A server over the forged agent family (Hermes tool calls under greedy decoding: asked to read notes.txt it calls
/// <c>read</c>; given the file it answers in prose), with room for tool prompts. Nothing in the server knows the family.
/// </summary>
public sealed class MessagesServerFixture : IAsyncLifetime
{
    private ServerInstance? _server;

    public ServerInstance Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await ServerInstance.StartAsync(
        TestFamilies.Agent, new Dictionary<string, string?> { ["Momo:ContextSize"] = "4096", ["Momo:MaxSequences"] = "2" });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MessagesServerCollection : ICollectionFixture<MessagesServerFixture>
{
    public const string Name = "messages-server";
}
