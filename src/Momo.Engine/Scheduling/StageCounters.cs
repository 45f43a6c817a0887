namespace Momo.Engine.Scheduling;

/// <summary>Running per-request counts behind <see cref="GenerationStatistics"/>.</summary>
internal sealed class StageCounters
{
    public int DraftedTokens;
    public int QualifierProposedTokens;
    public int QualifierAcceptedTokens;
    public int LookupProposedTokens;
    public int LookupAcceptedTokens;
    public int TargetProposedTokens;
    public int TargetAcceptedTokens;
    public int TargetCalls;
    public int Preemptions;
    public int CachedPromptTokens;
    public List<string> Degradations { get; } = [];
}
