using System.Text.Json;
using Momo.Server.Contracts;
using Momo.Server.Generation;
using Momo.Server.Streaming;

namespace Momo.Server.Dialects.Messages;

/// <summary>
/// Anthropic's event sequence: <c>message_start</c> (usage with the prompt's whole token count; the cached share is
/// known at the end), <c>ping</c>, then per content block <c>content_block_start</c>, <c>content_block_delta</c>s
/// (<c>text_delta</c> or <c>input_json_delta</c>) and <c>content_block_stop</c>; text and each tool call are blocks
/// of their own, in answer order; last <c>message_delta</c> (stop_reason, stop_sequence, final usage) and
/// <c>message_stop</c>. A failure after the start is an <c>error</c> event. While nothing new comes (a long prefill),
/// a <c>ping</c> every <c>Momo:StreamKeepAliveSeconds</c>.
/// </summary>
internal sealed class MessagesStreamWriter(GenerationCall call) : IAnswerStreamWriter
{
    private static readonly JsonElement EmptyInput = JsonDocument.Parse("{}").RootElement.Clone();

    private int _blocks;
    private bool _textOpen;
    private bool _blockOpen;

    public IEnumerable<SseFrame> Opening() =>
    [
        Frame(new MessageStartEvent(new MessagesResponse(
            call.Id, "message", "assistant", call.Runtime.ModelId, [], null, null, new MessagesUsage(call.PromptTokens, 0, 0)))),
        Frame(new PingEvent()),
    ];

    /// <summary>Anthropic's own keep-alive: a <c>ping</c> event, which its SDKs (and Claude Code) read and skip.</summary>
    public IEnumerable<SseFrame> KeepAlive() => [Frame(new PingEvent())];

    public IEnumerable<SseFrame> Write(AnswerEvent piece)
    {
        var frames = new List<SseFrame>();
        switch (piece)
        {
            case AnswerEvent.Text t:
                if (!_textOpen)
                {
                    frames.AddRange(Open(new TextBlock(""), text: true));
                }
                frames.Add(Frame(new ContentBlockDeltaEvent(_blocks - 1, new TextDelta(t.Content))));
                break;
            case AnswerEvent.CallStarted s:
                frames.AddRange(Open(new ToolUseBlock(MessagesDialect.NewToolUseId(), s.Name, EmptyInput), text: false));
                break;
            case AnswerEvent.Arguments a:
                frames.Add(Frame(new ContentBlockDeltaEvent(_blocks - 1, new InputJsonDelta(a.Fragment))));
                break;
        }
        return frames;
    }

    public IEnumerable<SseFrame> Closing(AnswerEnd end)
    {
        var frames = new List<SseFrame>();
        if (_blocks == 0)
        {
            // An empty answer is still one (empty) text block, as the non-streamed answer writes it.
            frames.AddRange(Open(new TextBlock(""), text: true));
        }
        frames.AddRange(Close());
        frames.Add(Frame(new MessageDeltaEvent(
            new MessageDelta(MessagesDialect.StopReason(end.Finish), end.StopSequence), MessagesDialect.Usage(end), OpenAiMapping.ToSpeculative(end.Statistics))));
        frames.Add(Frame(new MessageStopEvent()));
        return frames;
    }

    public IEnumerable<SseFrame> Failure(ApiException failure) =>
        [SseFrame.Json(AnthropicErrors.Body(failure.Status, failure.Error), AnthropicJsonContext.Default.AnthropicErrorResponse, "error")];

    private List<SseFrame> Open(ContentBlock block, bool text)
    {
        var frames = Close();
        frames.Add(Frame(new ContentBlockStartEvent(_blocks++, block)));
        (_blockOpen, _textOpen) = (true, text);
        return frames;
    }

    private List<SseFrame> Close()
    {
        if (!_blockOpen)
        {
            return [];
        }
        (_blockOpen, _textOpen) = (false, false);
        return [Frame(new ContentBlockStopEvent(_blocks - 1))];
    }

    private static SseFrame Frame(MessagesEvent e) => SseFrame.Json(e, AnthropicJsonContext.Default.MessagesEvent, EventName(e));

    private static string EventName(MessagesEvent e) => e switch
    {
        MessageStartEvent => "message_start",
        ContentBlockStartEvent => "content_block_start",
        PingEvent => "ping",
        ContentBlockDeltaEvent => "content_block_delta",
        ContentBlockStopEvent => "content_block_stop",
        MessageDeltaEvent => "message_delta",
        _ => "message_stop",
    };
}
