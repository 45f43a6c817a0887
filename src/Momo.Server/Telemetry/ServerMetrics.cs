using System.Diagnostics.Metrics;

namespace Momo.Server.Telemetry;

/// <summary>HTTP-side instruments: refused and failed requests by OpenAI error type and code; process memory.</summary>
internal sealed class ServerMetrics
{
    /// <summary>Name of the server's meter.</summary>
    public const string MeterName = "Momo.Server";

    private readonly Counter<long> _errors;
    private readonly Counter<long> _droppedTools;

    /// <summary>Creates the instruments.</summary>
    public ServerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _errors = meter.CreateCounter<long>("request_errors", description: "Requests answered with an error, by OpenAI error type, code and HTTP status.");
        _droppedTools = meter.CreateCounter<long>(
            "responses_hosted_tools_dropped",
            description: "Tools of POST /v1/responses requests left out of the prompt because the server cannot run them (web_search, file_search, ...), by tool type.");
        // Memory, so a soak (momo-bench --soak) or a dashboard can see growth from outside the process.
        meter.CreateObservableGauge("process_working_set_bytes", () => Environment.WorkingSet, description: "Physical memory of the server process.");
        meter.CreateObservableGauge("process_managed_heap_bytes", () => GC.GetTotalMemory(false), description: "Bytes on the managed heap.");
    }

    /// <summary>Counts one error response.</summary>
    public void RecordError(string type, string? code, int status) => _errors.Add(1,
        new KeyValuePair<string, object?>("type", type),
        new KeyValuePair<string, object?>("code", code ?? "none"),
        new KeyValuePair<string, object?>("status", status));

    /// <summary>Counts the tools a Responses request offered that were left out of the prompt, one per tool, by type.</summary>
    public void RecordDroppedTools(IEnumerable<string> types)
    {
        foreach (var type in types)
        {
            _droppedTools.Add(1, new KeyValuePair<string, object?>("type", type));
        }
    }
}
