using System.Text;

namespace Momo.Server.Tools;

/// <summary>What the parser found in a piece of output.</summary>
internal abstract record ToolOutputEvent
{
    /// <summary>Text for the message's content.</summary>
    internal sealed record Content(string Text) : ToolOutputEvent;

    /// <summary>A call began: its index in the answer and its function's name.</summary>
    internal sealed record CallStarted(int Index, string Name) : ToolOutputEvent;

    /// <summary>The next fragment of call <paramref name="Index"/>'s arguments JSON.</summary>
    internal sealed record Arguments(int Index, string Fragment) : ToolOutputEvent;
}

/// <summary>
/// Splits generated text into content and tool calls as it arrives, for one <see cref="ToolCallSyntax"/>: content
/// until the trigger (text that may be the start of the trigger is held back), then each call's name once whole and
/// its arguments as they are generated, found by a scan of the JSON (strings, escapes, nesting). The grammar makes
/// the calls well formed; text that still strays from the syntax (a call cut short by max_tokens is fine) becomes
/// content rather than an error. Streaming and non-streaming answers come from the same events.
/// </summary>
internal sealed class ToolCallParser(ToolCallSyntax syntax)
{
    private enum State { Content, Literal, Name, Arguments, AfterCall, Trailing }

    private readonly StringBuilder _held = new();
    private readonly List<ToolOutputEvent> _events = [];
    private State _state = State.Content;
    private string _literal = "";
    private int _matched;
    private State _afterLiteral;
    private int _depth;
    private bool _inString;
    private bool _escaped;

    /// <summary>Calls begun so far.</summary>
    public int Calls { get; private set; }

    /// <summary>The events the new text completes.</summary>
    public IReadOnlyList<ToolOutputEvent> Feed(string text)
    {
        _events.Clear();
        foreach (var c in text)
        {
            Step(c);
        }
        if (_state == State.Content)
        {
            EmitContentKeepingTriggerPrefix();
        }
        else if (_state == State.Trailing)
        {
            EmitContent(_held.ToString());
            _held.Clear();
        }
        FlushArguments();
        return [.. _events];
    }

    /// <summary>The end of the output: held-back text that turned out not to be a trigger is content.</summary>
    public IReadOnlyList<ToolOutputEvent> Finish()
    {
        _events.Clear();
        // Whitespace after the last call (a separator the model began but did not follow) is no answer text.
        if (_state is State.Content or State.Trailing || _state == State.AfterCall && _held.ToString().Trim().Length > 0)
        {
            EmitContent(_held.ToString());
        }
        _held.Clear();
        return [.. _events];
    }

    private void Step(char c)
    {
        switch (_state)
        {
            case State.Content:
                _held.Append(c);
                if (EndsWith(_held, syntax.Trigger))
                {
                    EmitContent(_held.ToString(0, _held.Length - syntax.Trigger.Length));
                    _held.Clear();
                    Expect(syntax.BlockOpen + syntax.CallOpen, syntax.Trigger.Length, State.Name);
                }
                break;
            case State.Literal:
                Match(c);
                break;
            case State.Name:
                if (c == '"')
                {
                    _events.Add(new ToolOutputEvent.CallStarted(Calls++, _held.ToString()));
                    _held.Clear();
                    Expect(syntax.ArgumentsKey, 1, State.Arguments);
                }
                else
                {
                    _held.Append(c);
                }
                break;
            case State.Arguments:
                Scan(c);
                break;
            case State.AfterCall:
                _held.Append(c);
                ChooseAfterCall();
                break;
            default:
                _held.Append(c);
                break;
        }
    }

    private void Match(char c)
    {
        if (c == _literal[_matched])
        {
            if (++_matched == _literal.Length)
            {
                _state = _afterLiteral;
            }
            return;
        }
        // Off the syntax: what was matched and the rest of the output are plain text.
        _state = State.Trailing;
        _held.Append(_literal.AsSpan(0, _matched)).Append(c);
    }

    // The arguments end where a closing brace appears outside any string and nesting: that brace begins CallClose.
    private void Scan(char c)
    {
        if (_inString)
        {
            if (_escaped)
            {
                _escaped = false;
            }
            else if (c == '\\')
            {
                _escaped = true;
            }
            else if (c == '"')
            {
                _inString = false;
            }
        }
        else if (c is '{' or '[')
        {
            _depth++;
        }
        else if (c is '}' or ']')
        {
            if (_depth == 0)
            {
                FlushArguments();
                Expect(syntax.CallClose, 1, State.AfterCall);
                return;
            }
            _depth--;
        }
        else if (c == '"')
        {
            _inString = true;
        }
        _held.Append(c);
    }

    private void ChooseAfterCall()
    {
        var next = syntax.Separator + syntax.CallOpen;
        var held = _held.ToString();
        if (held == next)
        {
            _held.Clear();
            _state = State.Name;
        }
        else if (syntax.BlockClose.Length > 0 && held == syntax.BlockClose)
        {
            _held.Clear();
            _state = State.Trailing;
        }
        else if (!next.StartsWith(held, StringComparison.Ordinal) && !syntax.BlockClose.StartsWith(held, StringComparison.Ordinal))
        {
            _state = State.Trailing;
        }
    }

    private void Expect(string literal, int alreadyMatched, State then)
    {
        _literal = literal;
        _matched = alreadyMatched;
        _afterLiteral = then;
        _state = alreadyMatched == literal.Length ? then : State.Literal;
        _depth = 0;
        _inString = false;
        _escaped = false;
    }

    private void FlushArguments()
    {
        if (_state == State.Arguments && _held.Length > 0)
        {
            _events.Add(new ToolOutputEvent.Arguments(Calls - 1, _held.ToString()));
            _held.Clear();
        }
    }

    private void EmitContentKeepingTriggerPrefix()
    {
        var keep = LongestTriggerPrefixAtEnd();
        EmitContent(_held.ToString(0, _held.Length - keep));
        _held.Remove(0, _held.Length - keep);
    }

    private int LongestTriggerPrefixAtEnd()
    {
        var trigger = syntax.Trigger;
        for (var length = Math.Min(trigger.Length - 1, _held.Length); length > 0; length--)
        {
            if (EndsWith(_held, trigger.AsSpan(0, length)))
            {
                return length;
            }
        }
        return 0;
    }

    private void EmitContent(string text)
    {
        if (text.Length > 0)
        {
            _events.Add(new ToolOutputEvent.Content(text));
        }
    }

    private static bool EndsWith(StringBuilder text, ReadOnlySpan<char> suffix)
    {
        if (text.Length < suffix.Length)
        {
            return false;
        }
        for (var i = 0; i < suffix.Length; i++)
        {
            if (text[text.Length - suffix.Length + i] != suffix[i])
            {
                return false;
            }
        }
        return true;
    }
}
