using Momo.Bench.Measurement;
using Momo.Engine.Requests;

namespace Momo.Bench.Targets;

/// <summary>One request of a workload, independent of where it is sent.</summary>
/// <param name="Set">Prompt set.</param>
/// <param name="Prompt">Prompt text (a user message for chat sets).</param>
/// <param name="Mode">Decoding mode.</param>
/// <param name="Temperature">0 = greedy.</param>
/// <param name="Seed">Sampling seed (the same for every mode of a round, so sampled runs compare like with like).</param>
/// <param name="MaxTokens">Completion tokens.</param>
/// <param name="DraftTokens">Fixed γ₁ / γ, or null to adapt.</param>
/// <param name="QualifiedTokens">Fixed γ₂, or null to adapt.</param>
/// <param name="BannedTokens">Token ids sent with logit bias −100 (the end tokens under --ban-end), or null.</param>
internal sealed record BenchRequest(string Set, string Prompt, DecodingMode Mode, double Temperature, ulong Seed, int MaxTokens,
    int? DraftTokens, int? QualifiedTokens, IReadOnlyList<int>? BannedTokens = null);

/// <summary>Where benchmark requests go: the engine in this process, or a server over HTTP.</summary>
internal interface IBenchTarget : IDisposable
{
    /// <summary>What is being measured, for the report.</summary>
    string Description { get; }

    /// <summary>Per tier (draft, qualifier, target) seconds to decode k = 1..16 tokens, or null where unknown (remote).</summary>
    IReadOnlyList<double[]?>? CostCurves { get; }

    /// <summary>The model's end-of-generation token ids, where the target knows them (in process); empty over HTTP.</summary>
    IReadOnlyList<int> EndTokens { get; }

    /// <summary>Runs one request to completion and times it.</summary>
    Task<RequestResult> RunAsync(BenchRequest request, double sentAt, CancellationToken cancellation);
}
