using Momo.Engine;
using Momo.Server.Contracts;

namespace Momo.Server.Endpoints;

/// <summary>Maps engine results onto OpenAI's fields.</summary>
internal static class ResponseMapping
{
    public static Usage ToUsage(GenerationStatistics s) =>
        new(s.PromptTokens, s.CompletionTokens, s.PromptTokens + s.CompletionTokens, new PromptTokensDetails(s.CachedPromptTokens));

    public static SpeculativeStatistics ToSpeculative(GenerationStatistics s) => new(
        s.Mode,
        s.Degradations,
        s.DraftedTokens,
        s.QualifierAcceptedTokens,
        s.LookupProposedTokens,
        s.LookupAcceptedTokens,
        s.TargetProposedTokens,
        s.TargetAcceptedTokens,
        s.TargetCalls,
        s.Preemptions,
        s.DraftAcceptanceRate,
        s.TargetAcceptanceRate,
        TokensPerTargetCall: s.TargetCalls > 0 ? (double)s.CompletionTokens / s.TargetCalls : 0);
}
