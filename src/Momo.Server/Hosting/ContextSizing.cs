using System.Globalization;
using Momo.Gguf;

namespace Momo.Server.Hosting;

/// <summary>The context per sequence the server runs with, and why.</summary>
/// <param name="Size">Tokens one sequence may hold (prompt + completion).</param>
/// <param name="Reason">One sentence for the start-up log.</param>
/// <param name="Warning">Set when a configured value was changed or looks unwise.</param>
internal sealed record ContextChoice(int Size, string Reason, string? Warning);

/// <summary>
/// Chooses the context per sequence. Unconfigured: the smallest tier's trained context (<c>&lt;arch&gt;.context_length</c>),
/// capped so that every tier's KV cache for <c>MaxSequences</c> full sequences fits the KV memory budget. A configured
/// value above the trained context is clamped to it with a warning (llama.cpp would only warn, and quality past the
/// trained length silently degrades); one within it is used as given, with a warning when it exceeds the budget.
/// </summary>
internal static class ContextSizing
{
    /// <summary>The demo family's context when none is configured: its KV stays under 1 GiB.</summary>
    public const int DemoContext = 4096;

    /// <summary>Used when no tier file can be read yet (the preflight that follows names the problem).</summary>
    private const int Fallback = 2048;

    // Budget-capped contexts are rounded down to this many tokens.
    private const int Granularity = 256;

    /// <summary>Half of the memory the process may use (physical memory or the container's limit).</summary>
    public static long DefaultBudgetBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;

    /// <summary>Reads each tier's shape (skipping files that cannot be read) and chooses.</summary>
    public static ContextChoice Choose(int? configured, int maxSequences, ResolvedTiers files, long budgetBytes)
    {
        var shapes = new List<(string Tier, GgufModelShape Shape)>();
        foreach (var (tier, options) in new[] { ("draft", files.Draft), ("qualifier", files.Qualifier), ("target", files.Target) })
        {
            if (options is not null && TryRead(options.Path) is { } shape)
            {
                shapes.Add((tier, shape));
            }
        }
        return Choose(configured ?? (files.IsDemo ? DemoContext : null), maxSequences, shapes, budgetBytes);
    }

    /// <summary>The rule itself, over shapes already read.</summary>
    public static ContextChoice Choose(int? configured, int maxSequences, IReadOnlyList<(string Tier, GgufModelShape Shape)> tiers, long budgetBytes)
    {
        if (tiers.Count == 0)
        {
            return new ContextChoice(configured ?? Fallback, "no model file could be read to size it", null);
        }
        var (smallestTier, smallest) = tiers.MinBy(t => t.Shape.TrainedContext);
        var trained = smallest.TrainedContext;
        var perContextToken = tiers.Sum(t => t.Shape.KvBytesPerToken) * maxSequences;
        var fits = budgetBytes / Math.Max(perContextToken, 1);
        var costs = string.Join(", ", tiers.Select(t => $"{t.Tier} {t.Shape.KvBytesPerToken / 1024.0:F1} KiB"));
        var budget = $"{Mib(budgetBytes)} MiB";

        if (configured is { } asked)
        {
            if (asked > trained)
            {
                return new ContextChoice(trained, $"ContextSize {asked} clamped to the {smallestTier} model's trained context {trained}",
                    $"Momo:ContextSize {asked} is above the {smallestTier} model's trained context {trained}; using {trained}.");
            }
            var over = (long)asked * perContextToken > budgetBytes
                ? $"Momo:ContextSize {asked} × MaxSequences {maxSequences} needs {Mib((long)asked * perContextToken)} MiB of KV cache " +
                  $"(per token: {costs}), over the budget of {budget}."
                : null;
            return new ContextChoice(asked, $"ContextSize {asked} as configured (trained context {trained})", over);
        }

        if (fits >= trained)
        {
            return new ContextChoice(trained,
                $"the smallest trained context ({smallestTier}, {trained} tokens); {maxSequences} sequences need " +
                $"{Mib((long)trained * perContextToken)} MiB of KV cache (per token: {costs}), within the budget of {budget}", null);
        }
        var capped = (int)(fits / Granularity * Granularity);
        if (capped < Granularity)
        {
            throw new InvalidOperationException(
                $"The KV cache budget of {budget} cannot hold {Granularity} tokens for each of {maxSequences} sequences (per token: {costs}). " +
                "Raise Momo:KvBudgetMiB, lower Momo:MaxSequences, or set Momo:ContextSize.");
        }
        return new ContextChoice(capped,
            $"capped by the KV cache budget of {budget}: {maxSequences} sequences × {capped} tokens (per token: {costs}); " +
            $"the smallest trained context is {trained} ({smallestTier})", null);
    }

    private static GgufModelShape? TryRead(string path)
    {
        try
        {
            return GgufModelShape.FromMetadata(GgufReader.ReadFile(path).Metadata);
        }
        catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException or GgufException)
        {
            return null;
        }
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F0", CultureInfo.InvariantCulture);
}
