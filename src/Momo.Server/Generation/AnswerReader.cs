using Momo.Engine.Results;
using Momo.Server.Tools;

namespace Momo.Server.Generation;

/// <summary>
/// Turns the engine's text into <see cref="AnswerEvent"/>s: straight through for free text, through the request's
/// <see cref="ToolCallParser"/> when the model may call tools. The finish rule lives here, once: an answer that
/// called tools and then stopped ended in <see cref="AnswerFinish.ToolCalls"/>; one cut short by the limit stays
/// <see cref="AnswerFinish.MaxTokens"/>. One reader per answer (the parser keeps state).
/// </summary>
internal sealed class AnswerReader(ToolCallSyntax? syntax)
{
    private readonly ToolCallParser? _parser = syntax is null ? null : new ToolCallParser(syntax);

    /// <summary>The events new text completes (none while text that may begin a call is held back).</summary>
    public IReadOnlyList<AnswerEvent> Feed(string text) =>
        text.Length == 0 ? [] : _parser is null ? [new AnswerEvent.Text(text)] : Translate(_parser.Feed(text));

    /// <summary>The events of held-back text, and how the answer ended.</summary>
    public (IReadOnlyList<AnswerEvent> Held, AnswerEnd End) Finish(FinishReason finish, string? stopSequence, GenerationStatistics statistics)
    {
        var held = _parser is null ? [] : Translate(_parser.Finish());
        return (held, new AnswerEnd(FinishOf(finish, stopSequence, _parser?.Calls > 0), stopSequence, statistics));
    }

    /// <summary>The name the request_success metric gives a stopped answer of <paramref name="text"/>.</summary>
    public static string StopLabel(string text, ToolCallSyntax syntax)
    {
        var parser = new ToolCallParser(syntax);
        parser.Feed(text);
        parser.Finish();
        return FinishOf(FinishReason.Stop, null, parser.Calls > 0) == AnswerFinish.ToolCalls ? "tool_calls" : "stop";
    }

    private static AnswerFinish FinishOf(FinishReason finish, string? stopSequence, bool called) => finish switch
    {
        FinishReason.Length => AnswerFinish.MaxTokens,
        _ when called => AnswerFinish.ToolCalls,
        _ when stopSequence is not null => AnswerFinish.StopSequence,
        _ => AnswerFinish.EndTurn,
    };

    private static List<AnswerEvent> Translate(IReadOnlyList<ToolOutputEvent> events) =>
        [.. events.Select<ToolOutputEvent, AnswerEvent>(e => e switch
        {
            ToolOutputEvent.Content c => new AnswerEvent.Text(c.Text),
            ToolOutputEvent.CallStarted s => new AnswerEvent.CallStarted(s.Index, s.Name),
            ToolOutputEvent.Arguments a => new AnswerEvent.Arguments(a.Index, a.Fragment),
            _ => throw new InvalidOperationException("unknown tool output event"),
        })];
}
