namespace Momo.Bench.Measurement;

/// <summary>Everything measured for one cell: its requests, each batch's decode span, and the stages' tallies.</summary>
internal sealed class CellMeasurements
{
    /// <summary>Requests, in run order.</summary>
    public List<RequestResult> Requests { get; } = [];

    /// <summary>Per batch: tokens generated after each request's first delivery, and the span from the batch's first
    /// first-token to its last token. Their ratio is decode throughput, free of prefill and queueing.</summary>
    public List<(long Tokens, double Seconds)> DecodeSpans { get; } = [];

    /// <summary>Per batch: all tokens and the span from sending to the last token (end-to-end throughput).</summary>
    public List<(long Tokens, double Seconds)> EndToEndSpans { get; } = [];

    /// <summary>Engine-thread seconds by step phase ("phase/tier"), from the engine's step profile (in-process runs).</summary>
    public Dictionary<string, double> PhaseSeconds { get; } = [];

    /// <summary>Verification tallies by stage name.</summary>
    public Dictionary<string, StageTally> Stages { get; } = [];

    /// <summary>Adds one finished batch of concurrent requests.</summary>
    public void AddBatch(IReadOnlyList<RequestResult> batch)
    {
        Requests.AddRange(batch);
        var firstToken = batch.Min(r => r.SentAt + r.FirstToken);
        var lastToken = batch.Max(r => r.SentAt + r.LastToken);
        var sent = batch.Min(r => r.SentAt);
        var decodeTokens = batch.Sum(r => (long)Math.Max(0, r.CompletionTokens - r.FirstTokens));
        if (decodeTokens > 0 && lastToken > firstToken)
        {
            DecodeSpans.Add((decodeTokens, lastToken - firstToken));
        }
        EndToEndSpans.Add((batch.Sum(r => (long)r.CompletionTokens), lastToken - sent));
    }
}
