using System.Text;
using Momo.Server.Contracts;
using Momo.Server.Generation;
using Momo.Server.Logprobs;
using Momo.Server.Streaming;
using Momo.Server.Tools;

namespace Momo.Server.Dialects.Responses;

/// <summary>
/// Writes an answer as a response's output items and the Responses stream events that build them, in OpenAI's
/// order: <c>response.created</c>, <c>response.in_progress</c>; per message <c>output_item.added</c>,
/// <c>content_part.added</c>, <c>output_text.delta</c>s, <c>output_text.done</c>, <c>content_part.done</c>,
/// <c>output_item.done</c>; per function call <c>output_item.added</c>, <c>function_call_arguments.delta</c>s,
/// <c>.done</c>, <c>output_item.done</c>; last <c>response.completed</c> or <c>response.incomplete</c> with the whole
/// response (<c>response.failed</c> after a failure). Every event is named by its type and numbered in
/// <c>sequence_number</c>. A non-streamed answer runs through the same writer (<see cref="Collect"/>), so both agree.
/// Whitespace before a first call opens no message (the model's line break before its call tag is no answer). With
/// <paramref name="logprobs"/> (the request included them), each text delta carries its tokens' entries and each
/// <c>output_text</c> part all of its own. One instance per response.
/// </summary>
internal sealed class ResponsesStreamWriter(ResponseObject inProgress, IReadOnlyDictionary<string, string> namespaces, MessageLogprobs? logprobs)
    : IAnswerStreamWriter, ILogprobsStreamWriter
{
    private readonly List<OutputItem> _output = [];
    private readonly List<ResponseStreamEvent> _events = [];
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _heldWhitespace = new();
    private OutputItem? _open;
    private int _sequence;

    /// <summary>The finished response, once <see cref="Closing"/> ran; null before, or after a failure.</summary>
    public ResponseObject? Finished { get; private set; }

    /// <summary>The finished response of a whole (non-streamed) answer.</summary>
    public ResponseObject Collect(Answer answer)
    {
        // Text after a call is written with the text before it here, so only the tokens before the first call count.
        logprobs?.Release(answer.Logprobs?.Where(r => r.TextOffset < answer.TextBeforeCalls) ?? []);
        Write(new AnswerEvent.Text(answer.Text));
        for (var i = 0; i < answer.Calls.Count; i++)
        {
            Write(new AnswerEvent.CallStarted(i, answer.Calls[i].Name));
            Write(new AnswerEvent.Arguments(i, answer.Calls[i].Arguments));
        }
        Closing(answer.End);
        return Finished!;
    }

    public IEnumerable<SseFrame> Opening() => Frames(
        [Next("response.created") with { Response = inProgress }, Next("response.in_progress") with { Response = inProgress }]);

    public IEnumerable<SseFrame> Write(IReadOnlyList<AnswerEvent> pieces, IReadOnlyList<ReleasedLogprob> released)
    {
        logprobs?.Release(released);
        return [.. pieces.SelectMany(Write)];
    }

    public IEnumerable<SseFrame> Write(AnswerEvent piece)
    {
        _events.Clear();
        switch (piece)
        {
            case AnswerEvent.Text t:
                AddText(t.Content);
                break;
            case AnswerEvent.CallStarted s:
                OpenCall(s.Name);
                break;
            case AnswerEvent.Arguments a when _open is OutputFunctionCall call:
                _text.Append(a.Fragment);
                _events.Add(Next("response.function_call_arguments.delta") with { ItemId = call.Id, OutputIndex = _output.Count, Delta = a.Fragment });
                break;
        }
        return Frames(_events);
    }

    /// <summary>The open item closed (<c>incomplete</c> when the output was cut short), then the finished response.</summary>
    public IEnumerable<SseFrame> Closing(AnswerEnd end)
    {
        _events.Clear();
        var incomplete = end.Finish == AnswerFinish.MaxTokens;
        if (_output.Count == 0 && _open is null)
        {
            // A blank answer is still one message (its whitespace, or empty), as OpenAI writes it.
            OpenMessage();
            AppendToMessage("");
        }
        Close(incomplete ? "incomplete" : "completed");
        Finished = ResponseEcho.Finished(inProgress, _output, end);
        _events.Add(Next("response." + Finished.Status) with { Response = Finished });
        return Frames(_events);
    }

    public IEnumerable<SseFrame> Failure(ApiException failure) =>
        Frames([Next("response.failed") with { Response = ResponseEcho.Failed(inProgress, _output, failure.Error) }]);

    private void AddText(string text)
    {
        logprobs?.TextArrived(text.Length);
        if (_open is not OutputMessage)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                _heldWhitespace.Append(text);
                return;
            }
            Close("completed");
            OpenMessage();
        }
        AppendToMessage(text);
    }

    private void AppendToMessage(string text)
    {
        var delta = _heldWhitespace.Append(text).ToString();
        _heldWhitespace.Clear();
        if (delta.Length == 0)
        {
            return;
        }
        _text.Append(delta);
        _events.Add(Next("response.output_text.delta") with
        {
            ItemId = _open!.Id, OutputIndex = _output.Count, ContentIndex = 0, Delta = delta, Logprobs = logprobs?.Written(),
        });
    }

    private void OpenMessage()
    {
        _open = new OutputMessage("msg_" + NewSuffix(), "in_progress", []);
        _events.Add(Next("response.output_item.added") with { OutputIndex = _output.Count, Item = _open });
        var part = new OutputText("") { Logprobs = logprobs is null ? null : [] };
        _events.Add(Next("response.content_part.added") with { ItemId = _open.Id, OutputIndex = _output.Count, ContentIndex = 0, Part = part });
    }

    private void OpenCall(string name)
    {
        Close("completed");
        _heldWhitespace.Clear();
        logprobs?.CallStarted();
        _open = new OutputFunctionCall("fc_" + NewSuffix(), "in_progress", ToolCallAnswer.NewId(), name, "", namespaces.GetValueOrDefault(name));
        _events.Add(Next("response.output_item.added") with { OutputIndex = _output.Count, Item = _open });
    }

    private void Close(string status)
    {
        var index = _output.Count;
        var text = _text.ToString();
        _text.Clear();
        switch (_open)
        {
            case OutputMessage message:
                var part = new OutputText(text) { Logprobs = logprobs?.CloseMessage() };
                _events.Add(Next("response.output_text.done") with
                {
                    ItemId = message.Id, OutputIndex = index, ContentIndex = 0, Text = text, Logprobs = part.Logprobs,
                });
                _events.Add(Next("response.content_part.done") with { ItemId = message.Id, OutputIndex = index, ContentIndex = 0, Part = part });
                Done(message with { Status = status, Content = [part] });
                break;
            case OutputFunctionCall call:
                _events.Add(Next("response.function_call_arguments.done") with { ItemId = call.Id, OutputIndex = index, Arguments = text, Name = call.Name });
                Done(call with { Status = status, Arguments = text });
                break;
        }
        _open = null;
    }

    private void Done(OutputItem item)
    {
        _events.Add(Next("response.output_item.done") with { OutputIndex = _output.Count, Item = item });
        _output.Add(item);
    }

    private ResponseStreamEvent Next(string type) => new(type, _sequence++);

    private static List<SseFrame> Frames(IEnumerable<ResponseStreamEvent> events) =>
        [.. events.Select(e => SseFrame.Json(e, MomoJsonContext.Default.ResponseStreamEvent, e.Type))];

    private static string NewSuffix() => Guid.NewGuid().ToString("N")[..24];
}
