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
/// <param name="PromptCacheBytes">
/// Host memory for KV copied out of slots that are needed by other requests (see <c>PromptCache</c>), so more
/// conversations than <paramref name="MaxSequences"/> keep their prompt prefixes; 0 turns it off (the default here;
/// the server configures it). Needs <paramref name="ReusePrefixes"/>.
/// </param>
/// <param name="MaxUnreadUpdates">
/// Updates a request's reader may leave unread; a reader that falls further behind (a stalled client) has its request
/// cancelled, so one slow client can neither stall the engine nor grow its memory without bound.
/// </param>
/// <param name="DraftMinConfidence">
/// A draft round stops after a proposal whose top probability is below this (0 = always draft the planned length):
/// tokens drafted past an unsure position are mostly rejected. Exactness does not depend on it.
/// </param>
public sealed record EngineOptions(
    int MaxSequences = 8,
    int ContextPerSequence = 2048,
    int MaxQueuedRequests = 64,
    int PrefillTokensPerStep = 256,
    bool ReusePrefixes = true,
    int MaxUnreadUpdates = 4096,
    float DraftMinConfidence = EngineOptions.DefaultDraftMinConfidence,
    long PromptCacheBytes = 0)
{
    /// <summary>
    /// The default <see cref="DraftMinConfidence"/>: off. On the forged families a draft's top probability is low even
    /// where its argmax agrees with the target's, so llama.cpp's p_min of 0.75 cut every round to one draft and two-tier
    /// decoding to 0.69× of the same engine without it (README, Performance); it stays a setting for real models.
    /// </summary>
    public const float DefaultDraftMinConfidence = 0f;

    /// <summary>Throws, naming the setting, when a value cannot work.</summary>
    public void Validate()
    {
        Require(MaxSequences >= 1, nameof(MaxSequences), MaxSequences, "at least 1");
        Require(ContextPerSequence >= 8, nameof(ContextPerSequence), ContextPerSequence, "at least 8");
        Require(MaxQueuedRequests >= 1, nameof(MaxQueuedRequests), MaxQueuedRequests, "at least 1");
        Require(PrefillTokensPerStep >= 1, nameof(PrefillTokensPerStep), PrefillTokensPerStep, "at least 1");
        Require(MaxUnreadUpdates >= 2, nameof(MaxUnreadUpdates), MaxUnreadUpdates, "at least 2");
        if (!(DraftMinConfidence is >= 0f and <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(DraftMinConfidence), DraftMinConfidence, $"{nameof(DraftMinConfidence)} must be in [0, 1] (got {DraftMinConfidence}).");
        }
        if (PromptCacheBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PromptCacheBytes), PromptCacheBytes, $"{nameof(PromptCacheBytes)} must be at least 0 (got {PromptCacheBytes}).");
        }
    }

    private static void Require(bool valid, string name, int value, string rule)
    {
        if (!valid)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {rule} (got {value}).");
        }
    }
}
