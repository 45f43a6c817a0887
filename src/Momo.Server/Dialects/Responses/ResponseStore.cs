using Microsoft.Extensions.Options;
using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Tools;

namespace Momo.Server.Dialects.Responses;

/// <summary>
/// The responses kept for <c>previous_response_id</c> and <c>GET /v1/responses/{id}</c>: each one as answered, and
/// its conversation (its input, expanded through its own previous response, and its output; never its instructions,
/// which OpenAI does not carry over), in memory, at most <see cref="LimitOptions.MaxStoredResponses"/>; the oldest is
/// forgotten first. Nothing survives a restart.
/// </summary>
internal sealed class ResponseStore(IOptions<LimitOptions> limits)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Kept> _kept = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();

    /// <summary>Keeps a response and its conversation, forgetting the oldest ones beyond the limit.</summary>
    public void Add(ResponseObject response, IReadOnlyList<ChatTurn> conversation)
    {
        lock (_lock)
        {
            _kept[response.Id] = new Kept(response, conversation, _order.AddLast(response.Id));
            while (_order.Count > limits.Value.MaxStoredResponses)
            {
                _kept.Remove(_order.First!.Value);
                _order.RemoveFirst();
            }
        }
    }

    /// <summary>The conversation of <paramref name="id"/>; an unknown, forgotten or never-stored id is a 400 naming it.</summary>
    public IReadOnlyList<ChatTurn> Conversation(string id) =>
        Find(id)?.Conversation ?? throw ApiException.Invalid(
            $"Previous response with id '{id}' not found. {WhatIsKept()}; send the conversation as input items instead.",
            "previous_response_id", "previous_response_not_found");

    /// <summary>The response <paramref name="id"/> as it was answered; an unknown, forgotten or never-stored id is a 404 naming it.</summary>
    public ResponseObject Response(string id) => Find(id)?.Response ?? throw NotFound(id);

    /// <summary>Forgets the response <paramref name="id"/>; an unknown one is a 404 naming it.</summary>
    public void Delete(string id)
    {
        lock (_lock)
        {
            if (!_kept.Remove(id, out var kept))
            {
                throw NotFound(id);
            }
            _order.Remove(kept.Node);
        }
    }

    private Kept? Find(string id)
    {
        lock (_lock)
        {
            return _kept.TryGetValue(id, out var kept) ? kept : null;
        }
    }

    private ApiException NotFound(string id) =>
        new(404, new ApiError($"Response with id '{id}' not found. {WhatIsKept()}.", "invalid_request_error", "response_id", "response_not_found"));

    private string WhatIsKept() =>
        $"This server keeps the last {limits.Value.MaxStoredResponses} responses created with store true, in memory (Momo:Limits:MaxStoredResponses)";

    private sealed record Kept(ResponseObject Response, IReadOnlyList<ChatTurn> Conversation, LinkedListNode<string> Node);
}
