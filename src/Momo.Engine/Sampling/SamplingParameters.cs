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

    /// <summary>Seed of the request's random stream; null draws a random seed.</summary>
    public ulong? Seed { get; init; }

    /// <summary>True when decoding is deterministic argmax.</summary>
    public bool IsGreedy => Temperature <= 0f;

    /// <summary>True when presence or frequency penalties change the logits.</summary>
    public bool HasPenalties => PresencePenalty != 0f || FrequencyPenalty != 0f;

    /// <summary>Throws when a value lies outside its OpenAI range or a biased id is outside the vocabulary.</summary>
    public void Validate(int vocab)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Temperature);
        ArgumentOutOfRangeException.ThrowIfNegative(TopK);
        if (!(TopP > 0f && TopP <= 1f))
        {
            throw new ArgumentException($"top_p must be in (0, 1], got {TopP}.");
        }

        if (!(MinP >= 0f && MinP <= 1f))
        {
            throw new ArgumentException($"min_p must be in [0, 1], got {MinP}.");
        }

        foreach (var id in LogitBias.Keys)
        {
            if ((uint)id >= (uint)vocab)
            {
                throw new ArgumentException($"logit_bias token id {id} is outside the vocabulary of {vocab}.");
            }
        }
    }
}
