using Momo.Engine.Runtime;

namespace Momo.Bench.Targets;

/// <summary>Three GGUF tiers loaded in-process the way the server loads them (preflight first, then each tier).</summary>
internal static class LoadedTiers
{
    /// <summary>Validates and loads draft, qualifier and target; disposes whatever loaded if one fails.</summary>
    public static LoadedModel Load(string draftPath, string qualifierPath, string targetPath, int contextPerSequence, int maxSequences, int? threads) =>
        TierSetLoader.Load(
            Options(Tier.Target.ToName(), targetPath, contextPerSequence, maxSequences, threads),
            Options(Tier.Qualifier.ToName(), qualifierPath, contextPerSequence, maxSequences, threads),
            Options(Tier.Draft.ToName(), draftPath, contextPerSequence, maxSequences, threads));

    /// <summary>How the bench loads one tier: on the CPU, KV for every sequence at full length.</summary>
    public static TierLoadOptions Options(string name, string path, int contextPerSequence, int maxSequences, int? threads) =>
        new(name, path, GpuLayers: 0, KvCells: contextPerSequence * maxSequences, maxSequences, threads, BatchTokens: 512);
}
