using System.Diagnostics.Metrics;

namespace Momo.Bench.Measurement;

/// <summary>
/// Listens to the engine's own speculation counters (no extra engine plumbing) and pairs each verification's
/// proposed and accepted counts into the <see cref="StageTally"/> of the cell currently running. The engine records
/// draft tokens then accepted tokens of one verification back to back on its single thread, so pairing is exact.
/// Only instruments of the given <see cref="Meter"/> instance are heard, so parallel engines never mix.
/// </summary>
internal sealed class AcceptanceRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, int> _pendingProposed = [];
    private readonly object _gate = new();
    private Dictionary<string, StageTally>? _sink;

    /// <summary>Starts listening to <paramref name="meter"/>.</summary>
    public AcceptanceRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter)
                && instrument.Name is "spec_decode_num_draft_tokens" or "spec_decode_num_accepted_tokens")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Routes the following verifications into <paramref name="sink"/> (by stage name); null drops them.</summary>
    public void Into(Dictionary<string, StageTally>? sink)
    {
        lock (_gate)
        {
            _sink = sink;
        }
    }

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? stage = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "tier")
            {
                stage = tag.Value as string;
            }
        }
        if (stage is null)
        {
            return;
        }
        lock (_gate)
        {
            if (instrument.Name == "spec_decode_num_draft_tokens")
            {
                _pendingProposed[stage] = (int)value;
                return;
            }
            if (_pendingProposed.Remove(stage, out var proposed) && _sink is not null)
            {
                if (!_sink.TryGetValue(stage, out var tally))
                {
                    _sink[stage] = tally = new StageTally();
                }
                tally.Add(proposed, (int)value);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
