namespace Momo.Engine.Results;

/// <summary>A request's reader fell too far behind (a stalled client): the engine cancelled the request.</summary>
public sealed class SlowReaderException(string requestId)
    : Exception($"Request {requestId} was cancelled: its client stopped reading and its unread updates reached the engine's limit.");
