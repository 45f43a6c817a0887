namespace Momo.Forge.Tests.Llama;

/// <summary>Forges the agent family once per test class into a temporary directory and loads all three tiers with a
/// context long enough for a tool result far back in the prompt.</summary>
public sealed class AgentFamilyFixture : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "momo-forge-agent-" + Guid.NewGuid().ToString("N"));

    public ForgeVocabulary Vocab { get; }
    internal TierSession[] Tiers { get; }

    public AgentFamilyFixture()
    {
        var family = FamilyForge.Forge(_dir, FamilyPreset.Agent, 42);
        Vocab = FamilyForge.Vocabulary(FamilyPreset.Agent);
        Tiers = family.Paths.Select(p => new TierSession(p, 4096)).ToArray();
    }

    public void Dispose()
    {
        foreach (var t in Tiers)
        {
            t.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }
}
