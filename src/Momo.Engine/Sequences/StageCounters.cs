using Momo.Engine.Results;

namespace Momo.Engine.Sequences;

/// <summary>Running per-request counts behind <see cref="GenerationStatistics"/>.</summary>
internal sealed class StageCounters
{
    public int DraftedTokens { get; set; }
    public int QualifierProposedTokens { get; set; }
    public int QualifierAcceptedTokens { get; set; }
    public int LookupProposedTokens { get; set; }
    public int LookupAcceptedTokens { get; set; }
    public int TargetProposedTokens { get; set; }
    public int TargetAcceptedTokens { get; set; }
    public int TargetCalls { get; set; }
    public int Preemptions { get; set; }
    public int CachedPromptTokens { get; set; }
    public List<string> Degradations { get; } = [];
}
