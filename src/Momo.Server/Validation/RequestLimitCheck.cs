using System.Text.Json;
using Momo.Server.Configuration;
using Momo.Server.Contracts;

namespace Momo.Server.Validation;

/// <summary>
/// The configured limits (<see cref="LimitOptions"/>) applied to a parsed body, before any tokenization or engine
/// work. Each breach is a 400 whose message names the setting and whose param names the field.
/// </summary>
internal static class RequestLimitCheck
{
    /// <summary>Checks the fields whose sizes are known from the body alone.</summary>
    public static void CheckBody(GenerationParameters body, LimitOptions limits)
    {
        if (body is ChatCompletionRequest { Messages: { } messages } && messages.Count > limits.MaxMessages)
        {
            throw Breach($"messages holds {messages.Count} messages; the limit is {limits.MaxMessages}", "MaxMessages", "messages", "too_many_messages");
        }
        foreach (var (name, value) in new[] { ("max_tokens", body.MaxTokens), ("max_completion_tokens", body.MaxCompletionTokens) })
        {
            if (limits.MaxTokensCap is { } cap && value > cap)
            {
                throw Breach($"{name}={value} is above the limit of {cap}", "MaxTokensCap", name, "max_tokens_too_large");
            }
        }
        CheckStops(body.Stop, limits);
        if (body.LogitBias is { } bias && bias.Count > limits.MaxLogitBias)
        {
            throw Breach($"logit_bias holds {bias.Count} entries; the limit is {limits.MaxLogitBias}", "MaxLogitBias", "logit_bias", "logit_bias_too_large");
        }
        if (body.Extra?.TryGetValue("tools", out var tools) == true)
        {
            CheckTools(tools, limits);
        }
    }

    /// <summary>Checks the prompt's token count (<paramref name="param"/>: messages or prompt).</summary>
    public static void CheckPrompt(int promptTokens, LimitOptions limits, string param)
    {
        if (limits.MaxPromptTokens is { } max && promptTokens > max)
        {
            throw Breach($"The prompt has {promptTokens} tokens; the limit is {max}", "MaxPromptTokens", param, "prompt_too_long");
        }
    }

    private static void CheckStops(List<string>? stops, LimitOptions limits)
    {
        if (stops is null)
        {
            return;
        }
        if (stops.Count > limits.MaxStopSequences)
        {
            throw Breach($"stop holds {stops.Count} strings; the limit is {limits.MaxStopSequences}", "MaxStopSequences", "stop", "too_many_stop_sequences");
        }
        if (stops.FindIndex(s => s.Length > limits.MaxStopLength) is var i and >= 0)
        {
            throw Breach($"stop[{i}] has {stops[i].Length} characters; the limit is {limits.MaxStopLength}", "MaxStopLength", "stop", "stop_sequence_too_long");
        }
    }

    // Tools are not honoured yet (issue 12), but their raw size is bounded now so that accepting them costs nothing
    // unbounded later.
    private static void CheckTools(JsonElement tools, LimitOptions limits)
    {
        if (tools.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        if (tools.ValueKind != JsonValueKind.Array)
        {
            throw ApiException.Invalid("tools must be an array of tool definitions.", "tools");
        }
        var count = tools.GetArrayLength();
        if (count > limits.MaxTools)
        {
            throw Breach($"tools holds {count} tools; the limit is {limits.MaxTools}", "MaxTools", "tools", "too_many_tools");
        }
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var bytes = System.Text.Encoding.UTF8.GetByteCount(tool.GetRawText());
            if (bytes > limits.MaxToolSchemaBytes)
            {
                throw Breach($"tools[{index}] is {bytes} bytes of JSON; the limit is {limits.MaxToolSchemaBytes}", "MaxToolSchemaBytes", $"tools[{index}]", "tool_schema_too_large");
            }
            index++;
        }
    }

    private static ApiException Breach(string what, string setting, string param, string code) =>
        ApiException.Invalid($"{what} (Momo:Limits:{setting}).", param, code);
}
