namespace Momo.Engine;

/// <summary>The waiting queue is full; the caller should retry later (HTTP 429).</summary>
public sealed class EngineQueueFullException(int capacity)
    : Exception($"The server is at capacity: {capacity} requests are already waiting. Retry shortly.")
{
    /// <summary>Size of the waiting queue.</summary>
    public int Capacity { get; } = capacity;
}
