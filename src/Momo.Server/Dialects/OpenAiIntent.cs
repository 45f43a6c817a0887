using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Generation;
using Momo.Server.Tools;
using Momo.Server.Validation;

namespace Momo.Server.Dialects;

/// <summary>The settings chat completions and completions share, read into a <see cref="GenerationIntent"/>.</summary>
internal static class OpenAiIntent
{
    /// <summary>
    /// Refuses what neither endpoint serves (n above 1, the fields <see cref="UnsupportedFields"/> lists) and bounds
    /// the tools' raw size before anything is read.
    /// </summary>
    public static void CheckBody(GenerationParameters body, LimitOptions limits)
    {
        UnsupportedFields.Check(body);
        if (body.N is { } n && n != 1)
        {
            throw ApiException.Invalid($"n={n} is not supported yet; only n=1 is.", "n", "unsupported_value");
        }
        if (body.Extra?.TryGetValue("tools", out var tools) == true)
        {
            RequestLimitCheck.CheckTools(tools, limits);
        }
    }

    /// <summary>The intent of <paramref name="body"/> with its prompt and tools already read.</summary>
    public static GenerationIntent From(GenerationParameters body, IntentPrompt prompt, ToolRequest tools, string promptField) => new()
    {
        Model = body.Model,
        Prompt = prompt,
        Tools = tools,
        Sampling = new SamplingRequest(
            body.Temperature, body.TopP, body.TopK, body.MinP, body.PresencePenalty, body.FrequencyPenalty, body.LogitBias, body.Seed),
        Stops = body.Stop ?? [],
        // max_completion_tokens is the newer name and wins when both are given.
        MaxTokens = body.MaxCompletionTokens ?? body.MaxTokens,
        Speculative = body.Speculative,
        Fields = new IntentFields(promptField, "stop", body.MaxCompletionTokens is null ? "max_tokens" : "max_completion_tokens"),
    };
}
