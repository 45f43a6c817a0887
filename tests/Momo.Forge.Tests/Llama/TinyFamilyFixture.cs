namespace Momo.Forge.Tests.Llama;

/// <summary>Forges the tiny family once per test class into a temporary directory and loads all three tiers.</summary>
public sealed class TinyFamilyFixture : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "momo-forge-llama-" + Guid.NewGuid().ToString("N"));

    public ForgedFamily Family { get; }
    public ForgeVocabulary Vocab { get; }
    internal TierSession[] Tiers { get; }

    public TinyFamilyFixture()
    {
        Family = FamilyForge.Forge(_dir, FamilyPreset.Tiny, 42);
        Vocab = FamilyForge.Vocabulary(FamilyPreset.Tiny);
        Tiers = Family.Paths.Select(p => new TierSession(p)).ToArray();
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
