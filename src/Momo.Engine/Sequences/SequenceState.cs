namespace Momo.Engine.Sequences;

/// <summary>Where a sequence is in its life; exactly one at a time.</summary>
internal enum SequenceState
{
    /// <summary>Decoded every step.</summary>
    Running,

    /// <summary>Holds no KV after memory pressure; resumes (recomputes) when others have finished.</summary>
    Preempted,

    /// <summary>Ended normally (stop or length); its final update is written.</summary>
    Finished,

    /// <summary>The engine failed it; its KV is not trusted for reuse.</summary>
    Failed,

    /// <summary>The client went away, the time limit passed or the engine shut down.</summary>
    Cancelled,
}
