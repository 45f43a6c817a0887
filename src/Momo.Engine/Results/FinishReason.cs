namespace Momo.Engine.Results;

/// <summary>Why a generation ended.</summary>
public enum FinishReason
{
    /// <summary>End-of-generation token or a stop string.</summary>
    Stop,

    /// <summary>max_tokens reached, or the context is full.</summary>
    Length,

    /// <summary>The client went away or the request was cancelled.</summary>
    Cancelled,

    /// <summary>The engine failed this request; the message says why.</summary>
    Error,
}

/// <summary>The finish reasons as the API, the metrics and the logs spell them: defined here once.</summary>
public static class FinishReasonNames
{
    /// <summary>"stop", "length", "cancelled" or "error".</summary>
    public static string ToApiName(this FinishReason reason) => reason switch
    {
        FinishReason.Stop => "stop",
        FinishReason.Length => "length",
        FinishReason.Cancelled => "cancelled",
        _ => "error",
    };
}
