using Momo.Testing;

namespace Momo.Server.Tests;

/// <summary>
/// The server the real agent clients (OpenClaw, Claude Code, Codex) run against, with the settings start_momo in
/// tests/clients/common.sh gives the scripts' server: the agent family, a 32k context, two sequences (a subagent beside its parent),
/// and a prefill fit for a CPU: without flash attention and in 2,048-token steps the family's narrow heads prefill the
/// clients' prompts about ten times faster (see README, FlashAttention).
/// </summary>
internal static class AgentClientServer
{
    public static Task<ServerInstance> StartAsync() => ServerInstance.StartAsync(TestFamilies.Agent, new Dictionary<string, string?>
    {
        ["Momo:ContextSize"] = "32768",
        ["Momo:MaxSequences"] = "2",
        ["Momo:FlashAttention"] = "Disabled",
        ["Momo:PrefillTokensPerStep"] = "2048",
    });
}
