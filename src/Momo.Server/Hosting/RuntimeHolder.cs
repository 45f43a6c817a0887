using Momo.Server.Contracts;

namespace Momo.Server.Hosting;

/// <summary>
/// Holds the runtime once loading finishes; until then, and from the moment the server starts shutting down (SIGTERM),
/// endpoints answer 503 while the requests already running drain.
/// </summary>
internal sealed class RuntimeHolder : IDisposable
{
    private ModelRuntime? _runtime;
    private volatile bool _draining;

    /// <summary>Why loading failed, if it did.</summary>
    public string? LoadError { get; private set; }

    /// <summary>Whether the models are loaded and the engine runs.</summary>
    public bool IsReady => Volatile.Read(ref _runtime) is not null;

    /// <summary>The runtime, or a 503 OpenAI error while loading (or after a failed load) or shutting down.</summary>
    public ModelRuntime Require() =>
        _draining
            ? throw new ApiException(503, new ApiError("The server is shutting down; retry on another replica.", "server_error", null, "shutting_down"))
            : Volatile.Read(ref _runtime) ?? throw new ApiException(503, new ApiError(
                LoadError is null ? "The models are still loading; retry shortly." : $"The models failed to load: {LoadError}",
                "server_error", null, LoadError is null ? "model_loading" : "model_load_failed"));

    /// <summary>
    /// The server is stopping (SIGTERM): new generations are refused at once; running ones may finish during most of
    /// <paramref name="grace"/>, then the engine stops and ends each of them with a final event (503 / an error event),
    /// before the host's own deadline would cut their connections without one.
    /// </summary>
    internal void StartDraining(TimeSpan grace)
    {
        _draining = true;
        if (Volatile.Read(ref _runtime) is { } runtime)
        {
            _ = Task.Delay(grace * 0.8).ContinueWith(_ => runtime.Engine.Dispose(), TaskScheduler.Default);
        }
    }

    internal void Set(ModelRuntime runtime) => Volatile.Write(ref _runtime, runtime);

    internal void Fail(string error) => LoadError = error;

    /// <inheritdoc />
    public void Dispose() => _runtime?.Dispose();
}
