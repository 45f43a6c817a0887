using Xunit.Abstractions;

namespace Momo.Forge.Tests.Llama;

public sealed class DemoFamilyAgreementTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "momo-forge-demo-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_demo_tiers_agree_often_but_not_always_on_corpus_text()
    {
        var family = FamilyForge.Forge(_dir, FamilyPreset.Demo, 42);
        var vocab = FamilyForge.Vocabulary(FamilyPreset.Demo);
        output.WriteLine($"forged in {family.Elapsed.TotalSeconds:F1} s; sizes {string.Join(", ", family.Paths.Select(p => $"{new FileInfo(p).Length / 1e6:F1} MB"))}");
        var tokens = new List<int> { ForgeVocabulary.Bos };
        foreach (var p in vocab.Paragraphs.Skip(40).Take(25))
        {
            tokens.AddRange(p);
        }

        var logits = family.Paths.Select(p =>
        {
            using var tier = new TierSession(p);
            return tier.Logits(tokens);
        }).ToArray();
        var stats = TierAgreement.Measure(logits, temperature: 0.8f);
        output.WriteLine($"{tokens.Count} positions: {stats}");
        using (var target = new TierSession(family.TargetPath))
        {
            output.WriteLine(string.Concat(target.Greedy([ForgeVocabulary.Bos, ForgeVocabulary.Newline], 40).Select(t => vocab.Tokens[t])));
        }

        Assert.InRange(stats.SampledAcceptance[0], 0.5, 0.92);
        Assert.True(stats.SampledAcceptance[2] > stats.SampledAcceptance[0], "draft/qualifier should agree more than draft/target");
        Assert.InRange(stats.ArgmaxAgreement[0], 0.5, 0.99);
    }
}
