namespace Momo.Engine.Sampling;

/// <summary>
/// A request's sampling transforms. The same transforms are applied to every tier's logits at a position, so the
/// speculative tests compare like with like and the output follows the target's transformed distribution.
/// </summary>
public sealed record SamplingParameters
{
    /// <summary>Greedy decoding: every distribution is one-hot at its argmax.</summary>
    public static SamplingParameters Greedy { get; } = new() { Temperature = 0 };

    /// <summary>0 = greedy; otherwise logits are divided by it.</summary>
    public float Temperature { get; init; } = 1;

    /// <summary>Keep the k most likely tokens; 0 = off.</summary>
    public int TopK { get; init; }

    /// <summary>Keep the smallest set of most likely tokens whose mass reaches this; 1 = off.</summary>
    public float TopP { get; init; } = 1;

    /// <summary>Drop tokens whose probability is below this fraction of the most likely one; 0 = off.</summary>
    public float MinP { get; init; }

    /// <summary>OpenAI presence penalty: subtracted once from the logit of every token already generated.</summary>
    public float PresencePenalty { get; init; }

    /// <summary>OpenAI frequency penalty: subtracted per occurrence of a token already generated.</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>Added to the logits of the given tokens (OpenAI logit_bias; -100 effectively bans a token).</summary>
    public IReadOnlyDictionary<int, float> LogitBias { get; init; } = new Dictionary<int, float>();

    /// <summary>Seed of the request's random stream; null draws one.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Whether decoding is greedy.</summary>
    public bool IsGreedy => Temperature <= 0;

    /// <summary>Whether penalties depend on the generated history.</summary>
    public bool HasPenalties => PresencePenalty != 0 || FrequencyPenalty != 0;
}
