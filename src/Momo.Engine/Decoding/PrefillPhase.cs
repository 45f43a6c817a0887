using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;
using Momo.Engine.Telemetry;

namespace Momo.Engine.Decoding;

/// <summary>
/// Chunked prefill: caches the planned chunks of committed prompt tokens, one phase per tier (all but the last
/// committed token, which the first decode of the next phase feeds with logits).
/// </summary>
internal sealed class PrefillPhase(TierDecoder decoder)
{
    private readonly List<TierFeed> _feeds = [];

    public void Run(IReadOnlyList<PrefillChunk> chunks)
    {
        for (var t = 0; t < TierSet.Count; t++)
        {
            _feeds.Clear();
            foreach (var chunk in chunks)
            {
                if (chunk.Tier == (Tier)t)
                {
                    _feeds.Add(new TierFeed(chunk.Sequence, chunk.Count, LogitsForLast: 0));
                }
            }
            if (_feeds.Count > 0)
            {
                decoder.Decode((Tier)t, _feeds, phase: StepPhases.Prefill);
            }
        }
    }
}
