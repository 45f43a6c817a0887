using System.Text;
using Momo.Server.Contracts;
using Momo.Server.Tools;

namespace Momo.Server.Responses;

/// <summary>
/// Turns generated text into a response's output items and the stream events that build them, in OpenAI's order:
/// a message is <c>output_item.added</c>, <c>content_part.added</c>, <c>output_text.delta</c>s,
/// <c>output_text.done</c>, <c>content_part.done</c>, <c>output_item.done</c>; a function call is
/// <c>output_item.added</c>, <c>function_call_arguments.delta</c>s, <c>.done</c>, <c>output_item.done</c>. Every
/// event gets the next sequence number. A non-streamed answer runs the same steps and keeps only
/// <see cref="Output"/>, so both agree. Whitespace before a first call opens no message (the model's line break
/// before its call tag is no answer). One instance per response.
/// </summary>
internal sealed class ResponseAssembler(ToolCallParser? parser, IReadOnlyDictionary<string, string> namespaces)
{
    private readonly List<OutputItem> _output = [];
    private readonly List<ResponseStreamEvent> _events = [];
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _heldWhitespace = new();
    private OutputItem? _open;
    private int _sequence;

    /// <summary>The finished items, in order.</summary>
    public IReadOnlyList<OutputItem> Output => _output;

    /// <summary>Whether the answer called a function.</summary>
    public bool Called => _output.Any(i => i is OutputFunctionCall);

    /// <summary><c>response.created</c> and <c>response.in_progress</c>, each with the snapshot.</summary>
    public IReadOnlyList<ResponseStreamEvent> Opening(ResponseObject snapshot) =>
        [Next("response.created") with { Response = snapshot }, Next("response.in_progress") with { Response = snapshot }];

    /// <summary>The events new text makes (none while the parser holds text back).</summary>
    public IReadOnlyList<ResponseStreamEvent> Text(string text)
    {
        _events.Clear();
        Apply(parser is null ? [new ToolOutputEvent.Content(text)] : parser.Feed(text));
        return [.. _events];
    }

    /// <summary>Held-back text, then the open item closed (<c>incomplete</c> when the output was cut short).</summary>
    public IReadOnlyList<ResponseStreamEvent> Finish(bool incomplete)
    {
        _events.Clear();
        if (parser is not null)
        {
            Apply(parser.Finish());
        }
        if (_output.Count == 0 && _open is null)
        {
            // A blank answer is still one message (its whitespace, or empty), as OpenAI writes it.
            OpenMessage();
            AppendToMessage("");
        }
        Close(incomplete ? "incomplete" : "completed");
        return [.. _events];
    }

    /// <summary>The last event: <c>response.completed</c>, <c>response.incomplete</c> or <c>response.failed</c>, by status.</summary>
    public ResponseStreamEvent Closing(ResponseObject final) => Next("response." + final.Status) with { Response = final };

    private void Apply(IReadOnlyList<ToolOutputEvent> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case ToolOutputEvent.Content c:
                    AddText(c.Text);
                    break;
                case ToolOutputEvent.CallStarted s:
                    OpenCall(s.Name);
                    break;
                case ToolOutputEvent.Arguments a when _open is OutputFunctionCall call:
                    _text.Append(a.Fragment);
                    _events.Add(Next("response.function_call_arguments.delta") with { ItemId = call.Id, OutputIndex = _output.Count, Delta = a.Fragment });
                    break;
            }
        }
    }

    private void AddText(string text)
    {
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
        _events.Add(Next("response.output_text.delta") with { ItemId = _open!.Id, OutputIndex = _output.Count, ContentIndex = 0, Delta = delta });
    }

    private void OpenMessage()
    {
        _open = new OutputMessage("msg_" + NewSuffix(), "in_progress", []);
        _events.Add(Next("response.output_item.added") with { OutputIndex = _output.Count, Item = _open });
        _events.Add(Next("response.content_part.added") with { ItemId = _open.Id, OutputIndex = _output.Count, ContentIndex = 0, Part = new OutputText("") });
    }

    private void OpenCall(string name)
    {
        Close("completed");
        _heldWhitespace.Clear();
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
                var part = new OutputText(text);
                _events.Add(Next("response.output_text.done") with { ItemId = message.Id, OutputIndex = index, ContentIndex = 0, Text = text });
                _events.Add(Next("response.content_part.done") with { ItemId = message.Id, OutputIndex = index, ContentIndex = 0, Part = part });
                Finished(message with { Status = status, Content = [part] });
                break;
            case OutputFunctionCall call:
                _events.Add(Next("response.function_call_arguments.done") with { ItemId = call.Id, OutputIndex = index, Arguments = text, Name = call.Name });
                Finished(call with { Status = status, Arguments = text });
                break;
        }
        _open = null;
    }

    private void Finished(OutputItem item)
    {
        _events.Add(Next("response.output_item.done") with { OutputIndex = _output.Count, Item = item });
        _output.Add(item);
    }

    private ResponseStreamEvent Next(string type) => new(type, _sequence++);

    private static string NewSuffix() => Guid.NewGuid().ToString("N")[..24];
}
