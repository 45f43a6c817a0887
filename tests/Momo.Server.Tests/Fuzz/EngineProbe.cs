using System.Reflection;
using Momo.Engine;
using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;

namespace Momo.Server.Tests.Fuzz;

/// <summary>What the engine holds, read from its KV ledger.</summary>
internal static class EngineProbe
{
    /// <summary>
    /// KV cells in use per tier, from the ledger itself. The kv_usage gauge cannot serve here: the engine publishes
    /// it after each step, before releasing the sequences that step finished, and publishes nothing while idle, so
    /// at rest it shows the last step's figure.
    /// </summary>
    public static int[] KvCellsInUse(InferenceEngine engine)
    {
        var field = typeof(InferenceEngine).GetField("_ledger", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("InferenceEngine no longer has a _ledger field; update this probe.");
        var ledger = (KvLedger)field.GetValue(engine)!;
        return [.. Enum.GetValues<Tier>().Select(ledger.CellsInUse)];
    }
}
