using Momo.Engine.Requests;
using Momo.Engine.Sampling;
using Momo.Server.Contracts;
using Momo.Server.Generation;
using Momo.Server.Hosting;

namespace Momo.Server.Validation;

/// <summary>
/// Checks an intent's settings and turns them into an engine request. Every refusal is an
/// <see cref="ApiException"/> naming the offending field in the dialect's own words.
/// </summary>
internal static class GenerationRequestFactory
{
    /// <summary>The engine request for <paramref name="intent"/>, whose prompt is <paramref name="promptTokens"/>.</summary>
    public static GenerationRequest Create(GenerationIntent intent, int[] promptTokens, ModelRuntime runtime, string id)
    {
        var fields = intent.Fields;
        if (promptTokens.Length == 0)
        {
            throw ApiException.Invalid("The prompt is empty after tokenization; give at least one token of text.", fields.Prompt);
        }
        var maxTokens = MaxTokens(intent, promptTokens.Length, runtime.ContextSize);
        // Count and length limits were checked with the intent (RequestLimitCheck).
        if (intent.Stops.Any(string.IsNullOrEmpty))
        {
            throw ApiException.Invalid($"{fields.Stop} strings must not be empty.", fields.Stop);
        }
        return new GenerationRequest(id, promptTokens, Sampling(intent.Sampling, runtime), maxTokens, intent.Stops, Speculation(intent.Speculative, runtime))
        {
            TopLogprobs = intent.TopLogprobs,
        };
    }

    /// <summary>404 unless <paramref name="model"/> names the served model (or is omitted).</summary>
    public static void CheckModel(string? model, ModelRuntime runtime)
    {
        if (model is not null && !string.Equals(model, runtime.ModelId, StringComparison.Ordinal))
        {
            throw new ApiException(404, new ApiError(
                $"The model '{model}' does not exist. This server serves '{runtime.ModelId}'.", "invalid_request_error", "model", "model_not_found"));
        }
    }

    private static int MaxTokens(GenerationIntent intent, int promptTokens, int contextSize)
    {
        if (promptTokens + 1 > contextSize)
        {
            throw new ApiException(400, new ApiError(
                $"The prompt has {promptTokens} tokens but the context holds {contextSize} (at least one completion token must fit).",
                "invalid_request_error", intent.Fields.Prompt, "context_length_exceeded")
            { NPromptTokens = promptTokens, NCtx = contextSize });
        }
        var room = contextSize - promptTokens;
        var (name, requested) = (intent.Fields.MaxTokens, intent.MaxTokens);
        if (requested is null)
        {
            return room;
        }
        if (requested < 1)
        {
            throw ApiException.Invalid($"{name} must be at least 1, got {requested}.", name);
        }
        return Math.Min(requested.Value, room);
    }

    private static SamplingParameters Sampling(SamplingRequest body, ModelRuntime runtime)
    {
        var sampling = new SamplingParameters
        {
            Temperature = (float)(body.Temperature ?? 1.0),
            TopP = (float)(body.TopP ?? 1.0),
            TopK = body.TopK ?? 0,
            MinP = (float)(body.MinP ?? 0),
            PresencePenalty = (float)(body.PresencePenalty ?? 0),
            FrequencyPenalty = (float)(body.FrequencyPenalty ?? 0),
            LogitBias = LogitBias(body.LogitBias),
            Seed = body.Seed is { } seed ? unchecked((ulong)seed) : null,
        };
        // The ranges are the engine's own rules (one definition); here they become a 400 naming the field.
        return sampling.FindProblem(runtime.Engine.VocabularySize) is var (param, message)
            ? throw ApiException.Invalid(message, param)
            : sampling;
    }

    /// <summary>logit_bias keys are token ids written as strings on the wire.</summary>
    private static Dictionary<int, float> LogitBias(IReadOnlyDictionary<string, double>? bias)
    {
        var result = new Dictionary<int, float>();
        foreach (var (key, value) in bias ?? new Dictionary<string, double>())
        {
            if (!int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var token))
            {
                throw ApiException.Invalid($"logit_bias key '{key}' is not a token id.", "logit_bias");
            }
            result[token] = (float)value;
        }
        return result;
    }

    private static SpeculationSettings Speculation(SpeculativeOptions? options, ModelRuntime runtime)
    {
        var mode = runtime.DefaultMode;
        if (options?.Mode is { } name && !DecodingModeNames.TryParse(name, out mode))
        {
            throw ApiException.Invalid($"Unknown speculative mode '{name}'; use one of {DecodingModeNames.AllNames}.", "speculative.mode");
        }
        if (!runtime.Engine.Supports(mode))
        {
            throw ApiException.Invalid($"Mode '{mode.ToApiName()}' needs tiers this server has not loaded.", "speculative.mode", "mode_unavailable");
        }
        var draft = Count(options?.DraftTokens, SpeculationSettings.MaxDraftTokens, "speculative.draft_tokens");
        var qualified = Count(options?.QualifiedTokens, SpeculationSettings.MaxQualifiedTokens, "speculative.qualified_tokens");
        var fuzzy = InRange(options?.FuzzyThreshold, 0, 1, "speculative.fuzzy_threshold");
        if (fuzzy is not null && mode != DecodingMode.Pyramid)
        {
            throw ApiException.Invalid("fuzzy_threshold relaxes the pyramid's inner stage and needs mode 'pyramid'.", "speculative.fuzzy_threshold");
        }
        var lookupTokens = Count(options?.LookupTokens, SpeculationSettings.MaxLookupTokens, "speculative.lookup_tokens");
        if (lookupTokens is not null && options?.Lookup == false)
        {
            throw ApiException.Invalid("lookup_tokens sets the length of prompt lookup, which lookup: false turns off.", "speculative.lookup_tokens");
        }
        return new SpeculationSettings(mode, draft, qualified, fuzzy, options?.Lookup, lookupTokens);
    }

    private static int? Count(int? value, int max, string param) =>
        value is { } v && (v < 1 || v > max)
            ? throw ApiException.Invalid($"{param} must be between 1 and {max}, got {v}.", param)
            : value;

    private static double? InRange(double? value, double min, double max, string param) =>
        value is { } v && (double.IsNaN(v) || v < min || v > max)
            ? throw ApiException.Invalid($"{param} must be between {min} and {max}, got {v}.", param)
            : value;
}
