using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Generation;
using Momo.Server.Logprobs;
using Momo.Server.Tools;

namespace Momo.Server.Dialects.Responses;

/// <summary>
/// A Responses request translated for the pipeline: the intent, the conversation to store for a later
/// previous_response_id (instructions excluded, as OpenAI does not carry them over), and the tools as offered
/// (their namespaces, and those left out of the prompt).
/// </summary>
internal sealed record ResponsesTranslation(GenerationIntent Intent, IReadOnlyList<ChatTurn> Conversation, ResponsesTools Tools);

/// <summary>OpenAI's Responses API into a <see cref="GenerationIntent"/>: input items, instructions, tools, text.format.</summary>
internal static class ResponsesDialect
{
    private static readonly IntentFields Fields = new("input", "stop", "max_output_tokens");

    /// <summary>Checks and translates <paramref name="body"/>; every refusal is a 400 naming the field.</summary>
    public static ResponsesTranslation ToIntent(ResponsesRequest body, ResponseStore store, LimitOptions limits)
    {
        try
        {
            OpenAiIntent.CheckBody(body, limits);
            var extra = body.Extra ?? [];
            ResponsesFields.Check(body, extra);
            // The stored conversation is looked up first: an unknown id is the first thing to fix.
            var previous = body.PreviousResponseId is { } id ? store.Conversation(id) : [];
            var conversation = ResponsesInputReader.Read(body.Input, previous, limits);
            var tools = ResponsesTools.Read(extra.GetValueOrDefault("tools"));
            List<ChatTurn> turns = string.IsNullOrEmpty(body.Instructions) ? [.. conversation] : [new ChatTurn("system", body.Instructions, []), .. conversation];
            var intent = new GenerationIntent
            {
                Model = body.Model,
                Prompt = new IntentPrompt.Chat(turns),
                Tools = ResponsesChoiceReader.Read(extra, tools),
                Sampling = new SamplingRequest(
                    body.Temperature, body.TopP, body.TopK, body.MinP, body.PresencePenalty, body.FrequencyPenalty, body.LogitBias, body.Seed),
                Stops = body.Stop ?? [],
                MaxTokens = body.MaxOutputTokens,
                Speculative = body.Speculative,
                TopLogprobs = LogprobsRequest.ReadResponses(extra),
                Fields = Fields,
            };
            return new ResponsesTranslation(intent, conversation, tools);
        }
        catch (InvalidOperationException)
        {
            // JsonElement refuses to decode a lone surrogate escape ("\ud800"); that is the client's malformed text.
            throw ApiException.Invalid("The request holds a string that is not valid UTF-16 (a lone surrogate escape).", null);
        }
    }

    /// <summary>A new response id.</summary>
    public static string NewResponseId() => "resp_" + Guid.NewGuid().ToString("N")[..24];
}
