using Momo.Testing;

namespace Momo.Server.Tests.Security;

/// <summary>A server with three API keys (two configured, one from a key file), /alive and /metrics behind them,
/// /health open, and at most one request in flight per key.</summary>
public sealed class KeyedServerFixture : IAsyncLifetime
{
    public const string KeyA = "sk-momo-test-key-alpha-0001";
    public const string KeyB = "sk-momo-test-key-bravo-0002";
    public const string FileKey = "sk-momo-test-key-from-file-0003";

    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"momo-keys-{Guid.NewGuid():N}.txt");
    private ServerInstance? _server;

    public ServerInstance Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>The target's decodes pass it: open, unless a test holds a request in flight with it.</summary>
    public DecodeGate Gate { get; } = new();

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_keyFile, $"# one key a line\n\n  {FileKey}  \n");
        _server = await ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?>
        {
            ["Momo:ApiKeys:0"] = KeyA,
            ["Momo:ApiKeys:1"] = KeyB,
            ["Momo:ApiKeyFile"] = _keyFile,
            ["Momo:AuthenticateAlive"] = "true",
            ["Momo:AuthenticateMetrics"] = "true",
            ["Momo:MaxConcurrentRequestsPerKey"] = "1",
        }, Gate);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        File.Delete(_keyFile);
        Gate.Dispose();
    }
}
