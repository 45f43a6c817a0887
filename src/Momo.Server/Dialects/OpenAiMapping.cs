using Momo.Engine.Results;
using Momo.Server.Contracts;
using Momo.Server.Generation;

namespace Momo.Server.Dialects;

/// <summary>Maps answers and engine figures onto OpenAI's fields (chat completions and completions).</summary>
internal static class OpenAiMapping
{
    /// <summary>OpenAI's finish_reason: a stop string and the end of the turn are both <c>stop</c>.</summary>
    public static string FinishName(AnswerFinish finish) => finish switch
    {
        AnswerFinish.MaxTokens => "length",
        AnswerFinish.ToolCalls => "tool_calls",
        _ => "stop",
    };

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
