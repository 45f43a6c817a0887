namespace Momo.Engine;

/// <summary>The engine is shutting down and takes no more requests (HTTP 503).</summary>
public sealed class EngineStoppedException()
    : Exception("The server is shutting down and takes no new requests.");
