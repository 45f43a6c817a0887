namespace Momo.Forge.Tests.Llama;

/// <summary>Forges the agent family once per test class into a temporary directory and loads all three tiers with a
/// context long enough for a tool result far back in the prompt.</summary>
public sealed class AgentFamilyFixture : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "momo-forge-agent-" + Guid.NewGuid().ToString("N"));

    public ForgeVocabulary Vocab { get; }
    internal TierSession[] Tiers { get; }

    public AgentFamilyFixture()
    {
        var family = FamilyForge.Forge(_dir, FamilyPreset.Agent, 42);
        Vocab = FamilyForge.Vocabulary(FamilyPreset.Agent);
        Tiers = family.Paths.Select(p => new TierSession(p, 4096)).ToArray();
    }

    /// <summary>The target's (or another tier's) greedy turn after <paramref name="prompt"/>, up to its &lt;|im_end|&gt;
    /// (which it must reach within <paramref name="limit"/> tokens), as text.</summary>
    internal string Continue(TierSession tier, string prompt, int limit, Xunit.Abstractions.ITestOutputHelper output)
    {
        var generated = tier.Greedy(Tokenize(prompt), limit);
        var end = generated.IndexOf(ForgeVocabulary.ImEnd);
        Assert.True(end >= 0, "the turn must end with <|im_end|>: " + Render(generated));
        var text = Render(generated.Take(end));
        output.WriteLine(text);
        return text;
    }

    /// <summary>The prompt as the target's llama.cpp vocabulary tokenizes it (special tokens parsed).</summary>
    internal List<int> Tokenize(string text) => Tiers[2].Context.Tokenize(text, true, true).Select(t => (int)t).ToList();

    /// <summary>Tokens as text, SentencePiece's word marks as spaces.</summary>
    internal string Render(IEnumerable<int> tokens) => new System.Text.StringBuilder().AppendJoin("", tokens.Select(t => Vocab.Tokens[t])).ToString().Replace('\u2581', ' ');

    public void Dispose()
    {
        foreach (var t in Tiers)
        {
            t.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }
}
