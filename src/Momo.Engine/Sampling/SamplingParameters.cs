namespace Momo.Engine.Sampling;

/// <summary>
/// The sampling settings of one request, with OpenAI semantics. The same settings transform
/// every tier's logits (see <see cref="TokenDistribution"/>), which is what keeps speculative
/// decoding exact: each stage verifies against the distribution the request actually samples from.
/// </summary>
public sealed record SamplingParameters
{
    private static readonly IReadOnlyDictionary<int, float> NoBias = new Dictionary<int, float>();

    /// <summary>Greedy decoding: temperature 0, every other transform off.</summary>
    public static SamplingParameters Greedy { get; } = new() { Temperature = 0f };

    /// <summary>Softmax temperature; 0 means greedy (one-hot at the argmax, ties to the lowest id).</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Keep only the K most likely tokens; 0 turns it off.</summary>
    public int TopK { get; init; }

    /// <summary>Keep the smallest most-likely set whose mass reaches P; 1 turns it off.</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>Drop tokens whose probability is below MinP times the most likely token's; 0 turns it off.</summary>
    public float MinP { get; init; }

    /// <summary>Subtracted once from the logit of every token already generated in this completion.</summary>
    public float PresencePenalty { get; init; }

    /// <summary>Subtracted from a token's logit once per time it was generated in this completion.</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>Added to the logits of the given token ids; -100 effectively bans a token.</summary>
    public IReadOnlyDictionary<int, float> LogitBias { get; init; } = NoBias;

    /// <summary>
    /// Seed of the request's random stream; null draws a random seed. Same seed, mode, fixed draft lengths and model
    /// files reproduce a text run alone; adaptive draft lengths and concurrent load may change it (README, "What seed
    /// guarantees").
    /// </summary>
    public ulong? Seed { get; init; }

    /// <summary>True when decoding is deterministic argmax.</summary>
    public bool IsGreedy => Temperature <= 0f;

    /// <summary>True when presence or frequency penalties change the logits.</summary>
    public bool HasPenalties => PresencePenalty != 0f || FrequencyPenalty != 0f;

    /// <summary>
    /// The first setting outside its OpenAI range (or a biased id outside the vocabulary), named as the API names it;
    /// null when all are valid. The one definition of these rules: the server answers 400 with it, the engine refuses with it.
    /// </summary>
    public (string Param, string Message)? FindProblem(int vocab)
    {
        static bool Within(float value, float min, float max) => value >= min && value <= max; // false for NaN
        if (!Within(Temperature, 0, 2))
        {
            return ("temperature", $"temperature must be between 0 and 2, got {Temperature}.");
        }
        if (!(TopP > 0f && TopP <= 1f))
        {
            return ("top_p", $"top_p must be greater than 0 and at most 1, got {TopP}.");
        }
        if (TopK < 0)
        {
            return ("top_k", $"top_k must be 0 (off) or positive, got {TopK}.");
        }
        if (!Within(MinP, 0, 1))
        {
            return ("min_p", $"min_p must be between 0 and 1, got {MinP}.");
        }
        if (!Within(PresencePenalty, -2, 2))
        {
            return ("presence_penalty", $"presence_penalty must be between -2 and 2, got {PresencePenalty}.");
        }
        if (!Within(FrequencyPenalty, -2, 2))
        {
            return ("frequency_penalty", $"frequency_penalty must be between -2 and 2, got {FrequencyPenalty}.");
        }
        foreach (var (id, bias) in LogitBias)
        {
            if ((uint)id >= (uint)vocab)
            {
                return ("logit_bias", $"logit_bias key '{id}' is not a token id in [0, {vocab}).");
            }
            if (!Within(bias, -100, 100))
            {
                return ("logit_bias", $"logit_bias for token {id} must be between -100 and 100, got {bias}.");
            }
        }
        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting (see <see cref="FindProblem"/>).</summary>
    public void Validate(int vocab)
    {
        if (FindProblem(vocab) is var (param, message))
        {
            throw new ArgumentException(message, param);
        }
    }
}
