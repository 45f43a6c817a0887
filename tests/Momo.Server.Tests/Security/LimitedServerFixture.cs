using Momo.Testing;

namespace Momo.Server.Tests.Security;

/// <summary>A server with every request limit set small, so each can be breached by a small body.</summary>
public sealed class LimitedServerFixture : IAsyncLifetime
{
    public const int MaxBodyBytes = 65_536;
    public const int MaxMessages = 8;
    public const int MaxPromptTokens = 100;
    public const int MaxTokensCap = 32;
    public const int MaxStopSequences = 4;
    public const int MaxStopLength = 16;
    public const int MaxLogitBias = 8;
    public const int MaxTools = 4;
    public const int MaxToolSchemaBytes = 512;

    private ServerInstance? _server;

    public ServerInstance Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?>
    {
        ["Momo:Limits:MaxBodyBytes"] = $"{MaxBodyBytes}",
        ["Momo:Limits:MaxMessages"] = $"{MaxMessages}",
        ["Momo:Limits:MaxPromptTokens"] = $"{MaxPromptTokens}",
        ["Momo:Limits:MaxTokensCap"] = $"{MaxTokensCap}",
        ["Momo:Limits:MaxStopSequences"] = $"{MaxStopSequences}",
        ["Momo:Limits:MaxStopLength"] = $"{MaxStopLength}",
        ["Momo:Limits:MaxLogitBias"] = $"{MaxLogitBias}",
        ["Momo:Limits:MaxTools"] = $"{MaxTools}",
        ["Momo:Limits:MaxToolSchemaBytes"] = $"{MaxToolSchemaBytes}",
    });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
