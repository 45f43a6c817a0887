using Momo.Testing;

namespace Momo.Server.Tests;

/// <summary>One server over the tiny forged family, shared by the API tests of a collection.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private ServerInstance? _server;

    public ServerInstance Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await ServerInstance.StartAsync(TestFamilies.Tiny);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
