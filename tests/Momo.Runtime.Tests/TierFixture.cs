using Momo.Engine.Runtime;
using Momo.Testing;

namespace Momo.Runtime.Tests;

/// <summary>The tiny forged family loaded through LLamaSharp, shared by the runtime tests.</summary>
public sealed class TierFixture : IDisposable
{
    public const int Sequences = 4;
    public const int ContextPerSequence = 256;

    // Loaded the way the server loads them: preflight of the trio first, then each tier.
    private readonly TierSet _tiers = TierSetLoader.Load(
        Options("target", TestFamilies.Tiny.TargetPath),
        Options("qualifier", TestFamilies.Tiny.QualifierPath),
        Options("draft", TestFamilies.Tiny.DraftPath)).Tiers;

    public LlamaTierModel Target => (LlamaTierModel)_tiers.Target;
    public LlamaTierModel Qualifier => (LlamaTierModel)_tiers[Tier.Qualifier]!;
    public LlamaTierModel Draft => (LlamaTierModel)_tiers[Tier.Draft]!;

    private static TierLoadOptions Options(string name, string path) =>
        new(name, path, GpuLayers: 0, KvCells: Sequences * ContextPerSequence, Sequences, Threads: 2, BatchTokens: 512);

    public void Dispose() => _tiers.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TierCollection : ICollectionFixture<TierFixture>
{
    public const string Name = "tiers";
}
