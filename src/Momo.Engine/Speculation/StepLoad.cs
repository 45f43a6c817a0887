namespace Momo.Engine.Speculation;

/// <summary>
/// The work one engine step gives each tier, for the whole batch, and what it costs: the target's verification is one
/// decode of all sequences' rows; drafting is one decode per draft position, of the sequences still drafting at that
/// position; each inner round is one qualifier decode of all pyramid sequences' rows. Costs come from the tiers' measured
/// curves, so a sequence's speculation is priced by what it adds to the batch: nearly nothing on a GPU whose curve is
/// flat, about its own share on a CPU that is compute bound. That is why speculation pays less at high concurrency.
/// </summary>
public sealed class StepLoad(TierCostCurve? draft, TierCostCurve? qualifier, TierCostCurve target)
{
    private readonly List<int> _draftsAtPosition = []; // [draft position] sequences drafting there
    private readonly List<int> _qualifierRowsInRound = []; // [inner round] qualifier rows of that round

    /// <summary>Rows the target verifies this step, all sequences together.</summary>
    public int TargetRows { get; private set; }

    /// <summary>Tokens the step is expected to commit, all sequences together.</summary>
    public double ExpectedTokens { get; private set; }

    /// <summary>Starts an empty step.</summary>
    public void Clear()
    {
        _draftsAtPosition.Clear();
        _qualifierRowsInRound.Clear();
        TargetRows = 0;
        ExpectedTokens = 0;
    }

    /// <summary>Expected cost of the step as loaded so far.</summary>
    public double Cost()
    {
        var cost = target.Cost(TargetRows);
        foreach (var sequences in _draftsAtPosition)
        {
            cost += draft?.Cost(sequences) ?? 0;
        }
        foreach (var rows in _qualifierRowsInRound)
        {
            cost += qualifier?.Cost(rows) ?? 0;
        }
        return cost;
    }

    /// <summary>What adding <paramref name="work"/> would add to the step's cost.</summary>
    public double MarginalCost(SequenceWork work)
    {
        var cost = target.Cost(TargetRows + work.TargetRows) - target.Cost(TargetRows);
        for (var position = 0; position < work.DraftPositions; position++)
        {
            var already = At(_draftsAtPosition, position);
            cost += (draft?.Cost(already + 1) ?? 0) - (draft?.Cost(already) ?? 0);
        }
        for (var round = 0; round < work.InnerRounds; round++)
        {
            var already = At(_qualifierRowsInRound, round);
            cost += (qualifier?.Cost(already + work.QualifierRowsPerRound) ?? 0) - (qualifier?.Cost(already) ?? 0);
        }
        return cost;
    }

    /// <summary>Adds one sequence's work to the step.</summary>
    public void Add(SequenceWork work) => Change(work, 1);

    /// <summary>Takes back work added before (a sequence's placeholder, while its own chain is weighed).</summary>
    public void Remove(SequenceWork work) => Change(work, -1);

    private void Change(SequenceWork work, int sign)
    {
        TargetRows += sign * work.TargetRows;
        ExpectedTokens += sign * work.ExpectedTokens;
        for (var position = 0; position < work.DraftPositions; position++)
        {
            Increase(_draftsAtPosition, position, sign);
        }
        for (var round = 0; round < work.InnerRounds; round++)
        {
            Increase(_qualifierRowsInRound, round, sign * work.QualifierRowsPerRound);
        }
    }

    private static int At(List<int> counts, int index) => index < counts.Count ? counts[index] : 0;

    private static void Increase(List<int> counts, int index, int amount)
    {
        while (counts.Count <= index)
        {
            counts.Add(0);
        }
        counts[index] += amount;
    }
}

/// <summary>
/// One sequence's work in a step: the target rows it verifies, the sequential draft positions it drafts, the inner
/// rounds it qualifies (each with <paramref name="QualifierRowsPerRound"/> rows), and the tokens it is expected to commit.
/// </summary>
public readonly record struct SequenceWork(int TargetRows, int DraftPositions, int InnerRounds, int QualifierRowsPerRound, double ExpectedTokens)
{
    /// <summary>The target alone: one row, one token.</summary>
    public static SequenceWork TargetOnly(int targetRows = 1) => new(targetRows, 0, 0, 0, 1);

    /// <summary>Prompt lookup: <paramref name="count"/> free proposals and the bonus row.</summary>
    public static SequenceWork Lookup(AcceptanceProfile alpha, int count) => new(count + 1, 0, 0, 0, alpha.TokensPerVerify(count));

    /// <summary>Draft → target with γ drafts.</summary>
    public static SequenceWork TwoTier(AcceptanceProfile alpha, int gamma) => new(gamma + 1, gamma, 0, 0, alpha.TokensPerVerify(gamma));

    /// <summary>Draft → qualifier → target with γ₁ drafts per inner round and γ₂ qualified tokens.</summary>
    public static SequenceWork Pyramid(AcceptanceProfile alphaDraftQualifier, AcceptanceProfile alphaQualifierTarget, int inner, int outer)
    {
        // Expected inner rounds to gather γ₂ qualified tokens, rounded up: a round is a whole decode.
        var rounds = (int)Math.Ceiling(outer / alphaDraftQualifier.TokensPerVerify(inner));
        return new(outer + 1, rounds * inner, rounds, inner + 1, alphaQualifierTarget.TokensPerVerify(outer));
    }
}
