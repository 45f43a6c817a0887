namespace Momo.Grammar.Patterns;

internal sealed partial class RegexSubset
{
    /// <summary>A Thompson NFA: epsilon edges and edges on symbol sets.</summary>
    internal sealed class Nfa
    {
        public List<List<int>> Epsilons { get; } = [];
        public List<List<(bool[] Set, int To)>> Edges { get; } = [];

        public int Add()
        {
            Epsilons.Add([]);
            Edges.Add([]);
            return Epsilons.Count - 1;
        }

        public void Epsilon(int from, int to) => Epsilons[from].Add(to);

        public void Edge(int from, bool[] set, int to) => Edges[from].Add((set, to));
    }
}
