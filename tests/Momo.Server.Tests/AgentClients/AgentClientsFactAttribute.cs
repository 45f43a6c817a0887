namespace Momo.Server.Tests.AgentClients;

/// <summary>
/// A run of the real Claude Code or Codex CLI against momo: their first prompts are 40–54k tokens in the forged agent
/// family's vocabulary (mostly single characters), which a 2-core CPU prefills in many minutes, so the default run skips
/// it, with the reason, unless MOMO_AGENT_CLIENTS=1. <c>tests/agent-clients/run.sh</c> runs the same scenarios by hand.
/// </summary>
public sealed class AgentClientsFactAttribute : FactAttribute
{
    /// <summary>The environment variable that turns the runs on.</summary>
    public const string Variable = "MOMO_AGENT_CLIENTS";

    public AgentClientsFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"{Variable} is not 1: the real agent clients' prompts take many minutes to prefill on a CPU";
        }
    }
}
