using System.Text.Json;
using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Generation;
using Momo.Server.Tools;

namespace Momo.Server.Validation;

/// <summary>
/// The configured limits (<see cref="LimitOptions"/>) applied to a parsed body, before any tokenization or engine
/// work. Each breach is a 400 whose message names the setting and whose param names the field.
/// </summary>
internal static class RequestLimitCheck
{
    /// <summary>Checks the message count before a dialect reads the messages (<paramref name="param"/>: their field).</summary>
    public static void CheckMessageCount(int count, LimitOptions limits, string param = "messages")
    {
        if (count > limits.MaxMessages)
        {
            throw Breach($"{param} holds {count} messages; the limit is {limits.MaxMessages}", "MaxMessages", param, "too_many_messages");
        }
    }

    /// <summary>Checks the intent's sizes known before tokenization: completion limit, stop strings, logit bias.</summary>
    public static void CheckIntent(GenerationIntent intent, LimitOptions limits)
    {
        var maxTokens = intent.Fields.MaxTokens;
        if (limits.MaxTokensCap is { } cap && intent.MaxTokens > cap)
        {
            throw Breach($"{maxTokens}={intent.MaxTokens} is above the limit of {cap}", "MaxTokensCap", maxTokens, "max_tokens_too_large");
        }
        CheckStops(intent.Stops, intent.Fields.Stop, limits);
        if (intent.Sampling.LogitBias is { } bias && bias.Count > limits.MaxLogitBias)
        {
            throw Breach($"logit_bias holds {bias.Count} entries; the limit is {limits.MaxLogitBias}", "MaxLogitBias", "logit_bias", "logit_bias_too_large");
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

    private static void CheckStops(IReadOnlyList<string> stops, string param, LimitOptions limits)
    {
        if (stops.Count > limits.MaxStopSequences)
        {
            throw Breach($"{param} holds {stops.Count} strings; the limit is {limits.MaxStopSequences}", "MaxStopSequences", param, "too_many_stop_sequences");
        }
        for (var i = 0; i < stops.Count; i++)
        {
            if (stops[i].Length > limits.MaxStopLength)
            {
                throw Breach($"{param}[{i}] has {stops[i].Length} characters; the limit is {limits.MaxStopLength}", "MaxStopLength", param, "stop_sequence_too_long");
            }
        }
    }

    /// <summary>Bounds the tools' count and raw size before they are read, so reading them costs nothing unbounded.</summary>
    public static void CheckTools(JsonElement tools, LimitOptions limits)
    {
        if (!ToolList.IsPresent(tools))
        {
            return;
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
