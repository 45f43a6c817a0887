using Microsoft.Extensions.Options;
using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Tools;

namespace Momo.Server.Dialects.Responses;

/// <summary>
/// The responses kept for <c>previous_response_id</c>: each one's conversation (its input, expanded through its own
/// previous response, and its output; never its instructions, which OpenAI does not carry over), in memory, at most
/// <see cref="LimitOptions.MaxStoredResponses"/>; the oldest is forgotten first. Nothing survives a restart.
/// </summary>
internal sealed class ResponseStore(IOptions<LimitOptions> limits)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, IReadOnlyList<ChatTurn>> _conversations = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>Keeps a response's conversation, forgetting the oldest ones beyond the limit.</summary>
    public void Add(string id, IReadOnlyList<ChatTurn> conversation)
    {
        lock (_lock)
        {
            _conversations[id] = conversation;
            _order.Enqueue(id);
            while (_order.Count > limits.Value.MaxStoredResponses)
            {
                _conversations.Remove(_order.Dequeue());
            }
        }
    }

    /// <summary>The conversation of <paramref name="id"/>; an unknown, forgotten or never-stored id is a 400 naming it.</summary>
    public IReadOnlyList<ChatTurn> Conversation(string id)
    {
        lock (_lock)
        {
            if (_conversations.TryGetValue(id, out var conversation))
            {
                return conversation;
            }
        }
        throw ApiException.Invalid(
            $"Previous response with id '{id}' not found. This server keeps the last {limits.Value.MaxStoredResponses} responses "
            + "created with store true, in memory (Momo:Limits:MaxStoredResponses); send the conversation as input items instead.",
            "previous_response_id", "previous_response_not_found");
    }
}
