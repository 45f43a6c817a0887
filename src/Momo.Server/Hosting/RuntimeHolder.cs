using Momo.Server.Contracts;

namespace Momo.Server.Hosting;

/// <summary>Holds the runtime once loading finishes; until then endpoints answer 503.</summary>
internal sealed class RuntimeHolder : IDisposable
{
    private ModelRuntime? _runtime;

    /// <summary>Why loading failed, if it did.</summary>
    public string? LoadError { get; private set; }

    /// <summary>Whether the models are loaded and the engine runs.</summary>
    public bool IsReady => Volatile.Read(ref _runtime) is not null;

    /// <summary>The runtime, or a 503 OpenAI error while loading (or after a failed load).</summary>
    public ModelRuntime Require() =>
        Volatile.Read(ref _runtime) ?? throw new ApiException(503, new ApiError(
            LoadError is null ? "The models are still loading; retry shortly." : $"The models failed to load: {LoadError}",
            "server_error", null, LoadError is null ? "model_loading" : "model_load_failed"));

    internal void Set(ModelRuntime runtime) => Volatile.Write(ref _runtime, runtime);

    internal void Fail(string error) => LoadError = error;

    /// <inheritdoc />
    public void Dispose() => _runtime?.Dispose();
}
