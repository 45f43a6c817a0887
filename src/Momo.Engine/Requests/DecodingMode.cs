namespace Momo.Engine.Requests;

/// <summary>How a request is decoded. Every mode samples from the target's distribution.</summary>
public enum DecodingMode
{
    /// <summary>The target alone, one token per decode.</summary>
    TargetOnly,

    /// <summary>Draft proposes, target verifies (llama-server's speculative decoding).</summary>
    TwoTier,

    /// <summary>Draft proposes, qualifier filters, target verifies.</summary>
    Pyramid,

    /// <summary>
    /// Per sequence and step, the chain (target alone, lookup, draft → target, draft → qualifier → target) and draft
    /// lengths with the most expected tokens per unit of cost, prompt lookup included.
    /// </summary>
    Auto,
}

/// <summary>Names of the modes as they appear in the API, configuration, statistics and metrics.</summary>
public static class DecodingModeNames
{
    /// <summary>The API name of <paramref name="mode"/>.</summary>
    public static string ToApiName(this DecodingMode mode) => mode switch
    {
        DecodingMode.TargetOnly => "target_only",
        DecodingMode.TwoTier => "two_tier",
        DecodingMode.Pyramid => "pyramid",
        DecodingMode.Auto => "auto",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>Parses an API name; false for anything else.</summary>
    public static bool TryParse(string? name, out DecodingMode mode)
    {
        foreach (var candidate in Enum.GetValues<DecodingMode>())
        {
            if (string.Equals(candidate.ToApiName(), name, StringComparison.Ordinal))
            {
                mode = candidate;
                return true;
            }
        }
        mode = default;
        return false;
    }

    /// <summary>All API names, for error messages.</summary>
    public static string AllNames => string.Join(", ", Enum.GetValues<DecodingMode>().Select(m => m.ToApiName()));
}
