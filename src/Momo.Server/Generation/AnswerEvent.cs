using Momo.Engine.Results;

namespace Momo.Server.Generation;

/// <summary>A piece of the answer as it is generated, in no dialect's words; each dialect's writer shapes it.</summary>
internal abstract record AnswerEvent
{
    /// <summary>Answer text.</summary>
    internal sealed record Text(string Content) : AnswerEvent;

    /// <summary>Tool call <paramref name="Index"/> (0, 1, … in the answer) began: its function's name.</summary>
    internal sealed record CallStarted(int Index, string Name) : AnswerEvent;

    /// <summary>The next fragment of call <paramref name="Index"/>'s arguments JSON.</summary>
    internal sealed record Arguments(int Index, string Fragment) : AnswerEvent;
}

/// <summary>Why an answer ended, once for every dialect (each maps it onto its own names).</summary>
internal enum AnswerFinish
{
    /// <summary>The model ended its turn (end-of-generation token).</summary>
    EndTurn,

    /// <summary>The completion limit or the context ran out.</summary>
    MaxTokens,

    /// <summary>A stop string was found (<see cref="AnswerEnd.StopSequence"/> says which).</summary>
    StopSequence,

    /// <summary>The model ended its turn after calling tools.</summary>
    ToolCalls,
}

/// <summary>How an answer ended, with the engine's figures for usage.</summary>
internal sealed record AnswerEnd(AnswerFinish Finish, string? StopSequence, GenerationStatistics Statistics)
{
    /// <summary>Prompt tokens whose KV was computed for this request (not read from the prefix cache).</summary>
    public int UncachedPromptTokens => Statistics.PromptTokens - Statistics.CachedPromptTokens;
}
