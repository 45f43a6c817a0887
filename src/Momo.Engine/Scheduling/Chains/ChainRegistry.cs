using Momo.Engine.Requests;

namespace Momo.Engine.Scheduling.Chains;

/// <summary>
/// Every proposal chain the engine can run, in one place. <c>auto</c> weighs them in this order (the first wins a tie)
/// and probes the speculative ones in turn; a fixed mode runs the chain whose <see cref="ProposalChain.Mode"/> it is.
/// Adding a chain: a new <see cref="ProposalChain"/> subclass and one line here.
/// </summary>
internal static class ChainRegistry
{
    /// <summary>The target alone.</summary>
    public static ProposalChain TargetOnly { get; } = new TargetOnlyChain();

    /// <summary>Prompt lookup → target.</summary>
    public static ProposalChain Lookup { get; } = new LookupChain();

    /// <summary>All chains, in the order <c>auto</c> weighs them.</summary>
    public static IReadOnlyList<ProposalChain> All { get; } =
    [
        TargetOnly,
        Lookup,
        new TwoTierChain(),
        new PyramidChain(),
    ];

    /// <summary>The chain a fixed <paramref name="mode"/> runs.</summary>
    public static ProposalChain Of(DecodingMode mode)
    {
        foreach (var chain in All)
        {
            if (chain.Mode == mode)
            {
                return chain;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(mode), mode, "No chain runs this mode alone.");
    }
}
