using System.Text;
using Momo.Server.Contracts;
using Momo.Server.Logprobs;

namespace Momo.Server.Generation;

/// <summary>A call in a whole answer: the function's name and its arguments JSON exactly as generated.</summary>
internal sealed record AnsweredCall(string Name, string Arguments);

/// <summary>
/// A whole (non-streamed) answer, built from the same <see cref="AnswerEvent"/>s a stream sends, so both agree.
/// </summary>
/// <param name="Text">The answer's text (empty when it only called tools).</param>
/// <param name="Calls">The tool calls, in order.</param>
/// <param name="End">How it ended.</param>
internal sealed record Answer(string Text, IReadOnlyList<AnsweredCall> Calls, AnswerEnd End)
{
    /// <summary>The log-probabilities of the answer's tokens, when the request asked for them.</summary>
    public IReadOnlyList<ReleasedLogprob>? Logprobs { get; init; }

    /// <summary>
    /// How many characters of <see cref="Text"/> came before the first tool call (all of it when there is none): up to
    /// there the text is the generated text itself, so log-probability offsets point into it.
    /// </summary>
    public int TextBeforeCalls { get; init; }

    /// <summary>Reads every update of <paramref name="call"/>; an engine failure becomes its API error.</summary>
    public static async Task<Answer> CollectAsync(GenerationCall call, CancellationToken cancellation)
    {
        var reader = call.NewAnswerReader();
        var builder = new AnswerBuilder();
        var logprobs = call.Logprobs is null ? null : new List<ReleasedLogprob>();
        await foreach (var update in call.ReadAllAsync(cancellation))
        {
            builder.Add(reader.Feed(update.Text));
            logprobs?.AddRange(call.Logprobs!.Release(update));
            if (update.Finish is not { } finish)
            {
                continue;
            }
            if (call.FailureOf(update) is { } failure)
            {
                throw failure;
            }
            var (held, end) = reader.Finish(finish, update.StopSequence, update.Statistics!);
            builder.Add(held);
            return builder.Build(end) with { Logprobs = logprobs };
        }
        throw new ApiException(500, new ApiError("The generation ended without a result.", "server_error", null, null));
    }
}

/// <summary>Gathers answer events into an <see cref="Answer"/>.</summary>
internal sealed class AnswerBuilder
{
    private readonly StringBuilder _text = new();
    private readonly List<(string Name, StringBuilder Arguments)> _calls = [];
    private int? _textBeforeCalls;

    public void Add(IEnumerable<AnswerEvent> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case AnswerEvent.Text t:
                    _text.Append(t.Content);
                    break;
                case AnswerEvent.CallStarted s:
                    _textBeforeCalls ??= _text.Length;
                    _calls.Add((s.Name, new StringBuilder()));
                    break;
                case AnswerEvent.Arguments a:
                    _calls[a.Index].Arguments.Append(a.Fragment);
                    break;
            }
        }
    }

    public Answer Build(AnswerEnd end) => new(_text.ToString(), [.. _calls.Select(c => new AnsweredCall(c.Name, c.Arguments.ToString()))], end)
    {
        TextBeforeCalls = _textBeforeCalls ?? _text.Length,
    };
}
