using Momo.Engine.Runtime;
using Momo.Server.Contracts;
using Momo.Server.Logprobs;

namespace Momo.Server.Dialects.Responses;

/// <summary>
/// Hands a response's token log-probabilities to the message text they spell. Tokens are released as the engine sends
/// their text, which may be before the message text shows it (held back while it may begin a call), so a token waits
/// until the text where it starts has been written. Up to the first tool call the message text is the generated text
/// itself, so a token's <see cref="ReleasedLogprob.TextOffset"/> points into it; a call's tokens (its syntax and its
/// arguments) get none, as a <c>function_call</c> item has no <c>logprobs</c>, and neither does text after a call.
/// </summary>
internal sealed class MessageLogprobs(ITokenText vocabulary)
{
    private readonly Queue<ReleasedLogprob> _pending = new();
    private List<ChatTokenLogprob> _message = [];
    private int _textChars;
    private bool _called;

    /// <summary>Tokens the engine released; after the first call they belong to no message.</summary>
    public void Release(IEnumerable<ReleasedLogprob> released)
    {
        if (!_called)
        {
            foreach (var entry in released)
            {
                _pending.Enqueue(entry);
            }
        }
    }

    /// <summary>Answer text arrived (written now, or held back to be written with the next text).</summary>
    public void TextArrived(int chars)
    {
        if (!_called)
        {
            _textChars += chars;
        }
    }

    /// <summary>A call began: the tokens not yet written are its own.</summary>
    public void CallStarted()
    {
        _called = true;
        _pending.Clear();
    }

    /// <summary>The entries of the tokens that start in the text written so far and were not handed out yet.</summary>
    public IReadOnlyList<ChatTokenLogprob> Written()
    {
        var written = new List<ReleasedLogprob>();
        while (_pending.TryPeek(out var next) && next.TextOffset < _textChars)
        {
            written.Add(_pending.Dequeue());
        }
        var entries = LogprobsMapper.ToChat(written, vocabulary).Content;
        _message.AddRange(entries);
        return entries;
    }

    /// <summary>Every entry of the message being closed; the next message starts empty.</summary>
    public IReadOnlyList<ChatTokenLogprob> CloseMessage()
    {
        Written();
        var all = _message;
        _message = [];
        return all;
    }
}
