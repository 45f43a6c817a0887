using Momo.Engine.Runtime;

namespace Momo.Bench.Targets;

/// <summary>Three GGUF tiers loaded in-process the way the server loads them (preflight first, then each tier).</summary>
public static class LoadedTiers
{
    /// <summary>Validates and loads draft, qualifier and target; disposes whatever loaded if one fails.</summary>
    public static TierSet Load(string draftPath, string qualifierPath, string targetPath, int contextPerSequence, int maxSequences, int? threads)
    {
        ModelPreflight.Check(targetPath, qualifierPath, draftPath);
        var loaded = new List<ITierModel>();
        try
        {
            var target = Tier("target", targetPath, contextPerSequence, maxSequences, threads);
            loaded.Add(target);
            var qualifier = Tier("qualifier", qualifierPath, contextPerSequence, maxSequences, threads);
            loaded.Add(qualifier);
            var draft = Tier("draft", draftPath, contextPerSequence, maxSequences, threads);
            return new TierSet(target, qualifier, draft);
        }
        catch
        {
            loaded.ForEach(t => t.Dispose());
            throw;
        }
    }

    /// <summary>Loads one tier.</summary>
    public static LlamaTierModel Tier(string name, string path, int contextPerSequence, int maxSequences, int? threads) =>
        LlamaTierModel.Load(new TierLoadOptions(name, path, GpuLayers: 0, KvCells: contextPerSequence * maxSequences,
            maxSequences, threads, BatchTokens: 512));
}
