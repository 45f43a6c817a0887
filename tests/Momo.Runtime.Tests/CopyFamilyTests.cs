using System.Numerics.Tensors;
using System.Text;
using Momo.Engine.Runtime;
using Momo.Forge;
using Momo.Testing;

namespace Momo.Runtime.Tests;

/// <summary>The copy-tiny family through LLamaSharp: every tier continues a quoted passage (the induction circuit), and
/// where nothing repeats it says what the bigram head says.</summary>
public sealed class CopyFamilyTests
{
    private const int Restart = 8, Copied = 40;

    // The tale as the vocabulary segments it (words past the 150 most frequent left out), without paragraph marks.
    private static readonly int[] Tale = [.. Vocabulary.Paragraphs.SelectMany(p => p[1..^1])];

    private static ForgeVocabulary Vocabulary => FamilyForge.Vocabulary(FamilyPreset.CopyTiny);

    public static TheoryData<string> Tiers => ["draft", "qualifier", "target"];

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Greedy_decoding_after_a_quoted_passage_and_its_first_words_reproduces_the_rest_of_it(string tier)
    {
        using var model = Load(tier);
        var passage = Tale[..(60 + Restart)];
        var prompt = model.Vocabulary.Tokenize("Copy this:", addBos: true, parseSpecial: false)
            .Concat(passage).Concat(model.Vocabulary.Tokenize(" Here it is:", addBos: false, parseSpecial: false))
            .Concat(passage[..Restart]).ToArray();

        var generated = Greedy(model, prompt, Copied);

        var agreed = Enumerable.Range(0, Copied).Count(i => generated[i] == passage[Restart + i]);
        Assert.True(agreed >= 0.9 * Copied, $"{tier} copied {agreed}/{Copied}: {Text(model, generated)}");
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Where_nothing_repeats_the_greedy_choice_is_the_bigram_heads(string tier)
    {
        using var model = Load(tier);
        var classOf = Vocabulary.ClassOf;
        var bigram = FamilyForge.BigramChoices(FamilyPreset.CopyTiny);
        // The tale's first 24 tokens whose context class has not occurred yet: nothing in it repeats.
        var prompt = Tale.DistinctBy(t => classOf[t]).Take(24).Prepend(ForgeVocabulary.Bos).ToArray();

        // Every prompt position (teacher-forced: nothing before it to copy) and a short greedy continuation.
        var batch = new DecodeBatch();
        var first = batch.AddRange(prompt, 0, 0, logitsForLast: prompt.Length);
        model.Decode(batch);
        var forced = Enumerable.Range(1, prompt.Length - 1).Count(i => TensorPrimitives.IndexOfMax(model.Logits(first + i)) == bigram[classOf[prompt[i]]]);
        model.Truncate(0, 0);
        var generated = Greedy(model, prompt, 12);
        var context = prompt[^1..].Concat(generated).ToArray();
        var followed = Enumerable.Range(0, generated.Length).Count(i => generated[i] == bigram[classOf[context[i]]]);

        Assert.True(forced >= 0.9 * (prompt.Length - 1), $"{tier}: {forced}/{prompt.Length - 1} prompt positions chose the bigram head's token");
        Assert.True(followed >= 0.8 * generated.Length, $"{tier}: {followed}/{generated.Length} generated tokens were the bigram head's choice");
    }

    private static LlamaTierModel Load(string tier)
    {
        var family = TestFamilies.CopyTiny;
        var path = tier switch { "draft" => family.DraftPath, "qualifier" => family.QualifierPath, _ => family.TargetPath };
        return LlamaTierModel.Load(new TierLoadOptions(tier, path, GpuLayers: 0, KvCells: 512, MaxSequences: 1, Threads: 2, BatchTokens: 512));
    }

    private static int[] Greedy(LlamaTierModel model, int[] prompt, int count)
    {
        var batch = new DecodeBatch();
        var handle = batch.AddRange(prompt, 0, 0, logitsForLast: 1);
        model.Decode(batch);
        var generated = new int[count];
        for (var i = 0; i < count; i++)
        {
            generated[i] = TensorPrimitives.IndexOfMax(model.Logits(handle));
            batch.Clear();
            handle = batch.Add(generated[i], prompt.Length + i, 0, wantLogits: true);
            model.Decode(batch);
        }
        model.Truncate(0, 0);
        return generated;
    }

    private static string Text(LlamaTierModel model, int[] tokens) => string.Concat(tokens.Select(t => Encoding.UTF8.GetString(model.Vocabulary.Piece(t))));
}
