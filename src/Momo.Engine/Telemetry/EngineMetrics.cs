using System.Diagnostics;
using System.Diagnostics.Metrics;
using Momo.Engine.Requests;
using Momo.Engine.Scheduling.Chains;

namespace Momo.Engine.Telemetry;

/// <summary>
/// The engine's instruments, named like vLLM's and llama.cpp's so existing dashboards and habits carry over.
/// Exported to Prometheus with OpenTelemetry's conventions (counters gain <c>_total</c>, units a suffix).
/// Speculation counters carry a <c>tier</c> label naming the stage: <c>draft_to_qualifier</c>,
/// <c>qualifier_to_target</c>, <c>draft_to_target</c> or <c>lookup_to_target</c>; every stage's series exist from start, at zero.
/// <para>Acceptance rate of a stage over 5 minutes (PromQL):
/// <c>sum by (tier) (rate(spec_decode_num_accepted_tokens_total[5m])) / sum by (tier) (rate(spec_decode_num_draft_tokens_total[5m]))</c>.
/// Mean acceptance length (accepted tokens per verification):
/// <c>sum by (tier) (rate(spec_decode_num_accepted_tokens_total[5m])) / sum by (tier) (rate(spec_decode_num_drafts_total[5m]))</c>.</para>
/// <para>Prefix cache hit rate, in prompt tokens, over 5 minutes (vLLM's definition):
/// <c>sum(rate(prefix_cache_hits_total[5m])) / sum(rate(prefix_cache_queries_total[5m]))</c>; by where the hits came
/// from (<c>slot</c>, <c>running</c>, <c>host</c>): <c>sum by (source) (rate(prefix_cache_hits_total[5m])) / scalar(sum(rate(prefix_cache_queries_total[5m])))</c>.
/// Prefill tokens the cache saved: <c>increase(prefix_cache_hits_total[1h])</c>.</para>
/// </summary>
public sealed class EngineMetrics
{
    /// <summary>Name of the engine's meter.</summary>
    public const string MeterName = "Momo.Engine";

    private readonly Counter<long> _drafts;
    private readonly Counter<long> _draftTokens;
    private readonly Counter<long> _acceptedTokens;
    private readonly Counter<long> _acceptedPerPosition;
    private readonly Counter<long> _promptTokens;
    private readonly Counter<long> _cachedPromptTokens;
    private readonly Counter<long> _prefixQueries;
    private readonly Counter<long> _prefixHits;
    private readonly Counter<long> _generationTokens;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _degradations;
    private readonly Counter<long> _preemptions;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<double> _interTokenLatency;
    private readonly Histogram<double> _endToEnd;
    private readonly Histogram<double> _queueTime;
    private readonly Histogram<double> _stepPhase;

    /// <summary>Creates the instruments on <paramref name="meter"/>; gauges read the engine's live <paramref name="gauges"/>.</summary>
    public EngineMetrics(Meter meter, EngineCounters gauges)
    {
        _drafts = meter.CreateCounter<long>("spec_decode_num_drafts", description: "Speculative verifications (one per proposal run checked), by stage.");
        _draftTokens = meter.CreateCounter<long>("spec_decode_num_draft_tokens", description: "Tokens proposed to a verifier, by stage.");
        _acceptedTokens = meter.CreateCounter<long>("spec_decode_num_accepted_tokens", description: "Proposed tokens the verifier accepted, by stage.");
        _acceptedPerPosition = meter.CreateCounter<long>("spec_decode_num_accepted_tokens_per_pos", description: "Accepted tokens by position in the proposal run (0 = first), by stage.");
        _promptTokens = meter.CreateCounter<long>("prompt_tokens", description: "Prompt tokens of admitted requests (cached ones included).");
        _cachedPromptTokens = meter.CreateCounter<long>("prompt_tokens_cached", description: "Prompt tokens served from the prefix cache.");
        // vLLM's prefix cache counters, in tokens: hit rate = hits / queries.
        _prefixQueries = meter.CreateCounter<long>("prefix_cache_queries", description: "Prompt tokens looked up in the prefix cache (every admitted prompt token).");
        _prefixHits = meter.CreateCounter<long>("prefix_cache_hits", description: "Prompt tokens found in the prefix cache, by source (slot, running, host).");
        _generationTokens = meter.CreateCounter<long>("generation_tokens", description: "Completion tokens returned, by mode.");
        _finished = meter.CreateCounter<long>("request_success", description: "Finished requests by finish reason and mode.");
        _degradations = meter.CreateCounter<long>("mode_degradations", description: "Requests degraded to a cheaper mode under KV pressure (from, to).");
        _preemptions = meter.CreateCounter<long>("num_preemptions", description: "Sequences preempted under KV pressure (recomputed later).");
        _timeToFirstToken = meter.CreateHistogram<double>("time_to_first_token", "s", "Submit to first completion token.");
        _interTokenLatency = meter.CreateHistogram<double>("inter_token_latency", "s", "Time between completion tokens (per token).");
        _endToEnd = meter.CreateHistogram<double>("e2e_request_latency", "s", "Submit to finish.");
        _queueTime = meter.CreateHistogram<double>("request_queue_time", "s", "Time waiting for a sequence slot.");
        _stepPhase = meter.CreateHistogram<double>(
            "engine_step_phase", "s", "Engine thread time per step phase (plan, prefill, decode, rows, apply) and tier: where the time goes.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
        StartKnownSeriesAtZero();
        meter.CreateObservableGauge("num_requests_running", () => gauges.Running, description: "Sequences being decoded.");
        meter.CreateObservableGauge("num_requests_waiting", () => gauges.Waiting, description: "Requests waiting for a sequence.");
        meter.CreateObservableGauge("kv_cache_usage_ratio", gauges.KvUsage, description: "Fraction of each tier's KV cells in use.");
        // The Gateway API Inference Extension's endpoint picker reads one unlabelled KV gauge per server (vLLM's
        // kv_cache_usage_perc, a fraction despite its name); the per-tier gauge above has three series, so this alias
        // carries the fullest tier under the name the picker expects by default (less the "vllm:" prefix, which
        // OpenTelemetry instrument names cannot hold). See docs/kubernetes.md.
        meter.CreateObservableGauge("kv_cache_usage_perc", () => gauges.FullestTierKvUsage, description: "KV use of the fullest tier (0-1), for the inference gateway's endpoint picker.");
        meter.CreateObservableGauge("prompt_cache_bytes", () => gauges.PromptCacheBytes, "By", "Host memory the prompt cache's saved KV takes (Momo:PromptCacheMiB bounds it).");
        meter.CreateObservableGauge("prompt_cache_entries", () => gauges.PromptCacheEntries, description: "Saved prompt prefixes in the host prompt cache.");
        meter.CreateObservableGauge("spec_decode_draft_length", gauges.DraftLengths, description: "Mean current draft length per stage (γ₁ inner, γ₂ outer, γ two-tier).");
    }

    // Known label sets start at zero, as vLLM's do, so a fresh server's dashboard shows "none yet" rather than
    // "no data", and rate() has a first sample to start from.
    private void StartKnownSeriesAtZero()
    {
        // Every verifying stage of every registered chain, each once (a stage may serve several chains).
        var stages = ChainRegistry.All.SelectMany(c => new[] { c.InnerStage, c.TargetStage }).OfType<ChainStage>().DistinctBy(s => s.Name);
        foreach (var (stage, longest) in stages.Select(s => (s.Name, s.Longest)))
        {
            var tier = new KeyValuePair<string, object?>("tier", stage);
            _drafts.Add(0, tier);
            _draftTokens.Add(0, tier);
            _acceptedTokens.Add(0, tier);
            for (var position = 0; position < longest; position++)
            {
                _acceptedPerPosition.Add(0, tier, new KeyValuePair<string, object?>("position", position));
            }
        }
        RecordDegradationCount(DecodingMode.Pyramid, DecodingMode.TwoTier, 0);
        RecordDegradationCount(DecodingMode.TwoTier, DecodingMode.TargetOnly, 0);
        RecordDegradationCount(DecodingMode.Pyramid, DecodingMode.TargetOnly, 0);
        _preemptions.Add(0);
        _prefixQueries.Add(0);
        foreach (var source in new[] { "slot", "running", "host" })
        {
            _prefixHits.Add(0, new KeyValuePair<string, object?>("source", source));
        }
    }

    /// <summary>One verification of <paramref name="proposed"/> tokens at <paramref name="stage"/> that accepted <paramref name="accepted"/>.</summary>
    public void RecordVerification(string stage, int proposed, int accepted)
    {
        var tier = new KeyValuePair<string, object?>("tier", stage);
        _drafts.Add(1, tier);
        _draftTokens.Add(proposed, tier);
        _acceptedTokens.Add(accepted, tier);
        for (var position = 0; position < accepted; position++)
        {
            _acceptedPerPosition.Add(1, tier, new KeyValuePair<string, object?>("position", position));
        }
    }

    /// <summary>Engine-thread time from <paramref name="startTimestamp"/> until now spent in <paramref name="phase"/> (see <see cref="StepPhases"/>).</summary>
    public void RecordPhase(string phase, Runtime.Tier? tier, long startTimestamp) => _stepPhase.Record(
        Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds,
        new KeyValuePair<string, object?>("phase", phase),
        new KeyValuePair<string, object?>("tier", StepPhases.TierLabel(tier)));

    /// <summary>A request was admitted after waiting <paramref name="queueSeconds"/>.</summary>
    public void RecordAdmission(int promptTokens, int cachedTokens, string source, double queueSeconds)
    {
        _promptTokens.Add(promptTokens);
        _cachedPromptTokens.Add(cachedTokens);
        _prefixQueries.Add(promptTokens);
        if (cachedTokens > 0)
        {
            _prefixHits.Add(cachedTokens, new KeyValuePair<string, object?>("source", source));
        }
        _queueTime.Record(queueSeconds);
    }

    /// <summary>New completion tokens reached a request's reader.</summary>
    public void RecordTokens(string mode, int tokens, double? firstTokenSeconds, double? perTokenSeconds)
    {
        var label = new KeyValuePair<string, object?>("mode", mode);
        _generationTokens.Add(tokens, label);
        if (firstTokenSeconds is { } ttft)
        {
            _timeToFirstToken.Record(ttft, label);
        }
        if (perTokenSeconds is { } itl)
        {
            for (var i = 0; i < tokens; i++)
            {
                _interTokenLatency.Record(itl, label);
            }
        }
    }

    /// <summary>A request finished.</summary>
    public void RecordFinish(string mode, string finishReason, double seconds)
    {
        _finished.Add(1, new KeyValuePair<string, object?>("finish_reason", finishReason), new KeyValuePair<string, object?>("mode", mode));
        _endToEnd.Record(seconds, new KeyValuePair<string, object?>("mode", mode));
    }

    /// <summary>A request was degraded from one mode to another.</summary>
    public void RecordDegradation(DecodingMode from, DecodingMode to) => RecordDegradationCount(from, to, 1);

    private void RecordDegradationCount(DecodingMode from, DecodingMode to, int count) =>
        _degradations.Add(count, new KeyValuePair<string, object?>("from", from.ToApiName()), new KeyValuePair<string, object?>("to", to.ToApiName()));

    /// <summary>A sequence was preempted.</summary>
    public void RecordPreemption() => _preemptions.Add(1);
}
