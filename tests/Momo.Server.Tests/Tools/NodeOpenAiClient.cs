using System.Text.Json;

namespace Momo.Server.Tests.Tools;

/// <summary>Runs a script of <c>tests/openai-node</c> (the npm <c>openai</c> client) against a server's /v1.</summary>
internal static class NodeOpenAiClient
{
    public static Task<IReadOnlyList<JsonElement>> RunAsync(string script, ServerInstance server, TimeSpan timeout) =>
        NodeClient.RunAsync("openai-node", script, server, new Uri(server.Address, "v1").ToString(), timeout);
}
