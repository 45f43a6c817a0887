using System.Diagnostics.Metrics;

namespace Momo.Bench.Measurement;

/// <summary>
/// Listens to the engine's step profile (<c>engine_step_phase</c>: seconds per phase and tier) and sums it into the
/// cell currently running, keyed "phase/tier". Only instruments of the given <see cref="Meter"/> instance are heard.
/// </summary>
internal sealed class PhaseRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private Dictionary<string, double>? _sink;

    /// <summary>Starts listening to <paramref name="meter"/>.</summary>
    public PhaseRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "engine_step_phase")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Routes the following measurements into <paramref name="sink"/>; null drops them.</summary>
    public void Into(Dictionary<string, double>? sink)
    {
        lock (_gate)
        {
            _sink = sink;
        }
    }

    private void OnMeasurement(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? phase = null, tier = null;
        foreach (var tag in tags)
        {
            (phase, tier) = tag.Key switch
            {
                "phase" => (tag.Value as string, tier),
                "tier" => (phase, tag.Value as string),
                _ => (phase, tier),
            };
        }
        lock (_gate)
        {
            if (_sink is not null)
            {
                var key = tier is null or "none" ? phase ?? "?" : $"{phase}/{tier}";
                _sink[key] = _sink.GetValueOrDefault(key) + seconds;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
