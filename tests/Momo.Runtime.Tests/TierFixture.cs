using Momo.Engine.Runtime;
using Momo.Testing;

namespace Momo.Runtime.Tests;

/// <summary>The tiny forged family loaded through LLamaSharp, shared by the runtime tests.</summary>
public sealed class TierFixture : IDisposable
{
    public const int Sequences = 4;
    public const int ContextPerSequence = 256;

    public TierFixture()
    {
        var family = TestFamilies.Tiny;
        ModelPreflight.Check(family.TargetPath, family.QualifierPath, family.DraftPath);
        Target = Load("target", family.TargetPath);
        Qualifier = Load("qualifier", family.QualifierPath);
        Draft = Load("draft", family.DraftPath);
    }

    public LlamaTierModel Target { get; }
    public LlamaTierModel Qualifier { get; }
    public LlamaTierModel Draft { get; }

    private static LlamaTierModel Load(string name, string path) =>
        LlamaTierModel.Load(new TierLoadOptions(name, path, GpuLayers: 0, KvCells: Sequences * ContextPerSequence, Sequences, Threads: 2, BatchTokens: 512));

    public void Dispose()
    {
        Target.Dispose();
        Qualifier.Dispose();
        Draft.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class TierCollection : ICollectionFixture<TierFixture>
{
    public const string Name = "tiers";
}
