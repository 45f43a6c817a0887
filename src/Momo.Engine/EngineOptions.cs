namespace Momo.Engine;

/// <summary>Capacity settings of the engine.</summary>
/// <param name="MaxSequences">Most sequences decoded at once (each tier's KV is sized for them).</param>
/// <param name="ContextPerSequence">Most tokens (prompt + completion) one sequence may hold.</param>
/// <param name="MaxQueuedRequests">Requests that may wait for a free sequence; more are refused (HTTP 429).</param>
/// <param name="PrefillTokensPerStep">Prompt tokens each tier prefills per step, so long prompts do not stall running streams.</param>
/// <param name="ReusePrefixes">
/// Keep each finished request's KV in its slot and reuse the longest shared prompt prefix. On by default; a benchmark
/// turns it off so that every mode pays the same prefill.
/// </param>
public sealed record EngineOptions(
    int MaxSequences = 8,
    int ContextPerSequence = 2048,
    int MaxQueuedRequests = 64,
    int PrefillTokensPerStep = 256,
    bool ReusePrefixes = true)
{
    /// <summary>Throws, naming the setting, when a value cannot work.</summary>
    public void Validate()
    {
        Require(MaxSequences >= 1, nameof(MaxSequences), MaxSequences, "at least 1");
        Require(ContextPerSequence >= 8, nameof(ContextPerSequence), ContextPerSequence, "at least 8");
        Require(MaxQueuedRequests >= 1, nameof(MaxQueuedRequests), MaxQueuedRequests, "at least 1");
        Require(PrefillTokensPerStep >= 1, nameof(PrefillTokensPerStep), PrefillTokensPerStep, "at least 1");
    }

    private static void Require(bool valid, string name, int value, string rule)
    {
        if (!valid)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {rule} (got {value}).");
        }
    }
}
