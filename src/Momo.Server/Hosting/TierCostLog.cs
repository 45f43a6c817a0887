using Momo.Engine.Runtime;
namespace Momo.Server.Hosting;

/// <summary>Logs each tier's measured decode cost at start-up: the numbers the draft-length planner works from.</summary>
internal static partial class TierCostLog
{
    private static readonly string[] Names = [Tier.Draft.ToName(), Tier.Qualifier.ToName(), Tier.Target.ToName()];
    private static readonly int[] BatchSizes = [2, 4, 8, 16];

    public static void Write(ILogger logger, double[]?[] curves)
    {
        for (var t = 0; t < curves.Length; t++)
        {
            if (curves[t] is not { } curve)
            {
                continue;
            }
            // cost(k)/cost(1): how much more a batch of k tokens costs than one; flat curves make speculation pay.
            var ratios = string.Join(" ", BatchSizes.Select(k => $"k{k}={curve[k - 1] / curve[0]:F2}x"));
            LogTierCost(logger, Names[t], Math.Round(curve[0] * 1000, 3), Math.Round(1 / curve[0], 1), ratios);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Tier {Tier}: one-token decode {Milliseconds} ms ({TokensPerSecond} tok/s alone); batch cost {Ratios}")]
    private static partial void LogTierCost(ILogger logger, string tier, double milliseconds, double tokensPerSecond, string ratios);
}
