using Momo.Engine.Runtime;

namespace Momo.Runtime.Tests;

/// <summary>The LLamaSharp tier does what the engine relies on: batched logits, per-sequence KV removal, templates.</summary>
[Collection(TierCollection.Name)]
public sealed class LlamaTierModelTests(TierFixture tiers)
{
    private const float Tolerance = 1e-2f; // batch shape changes f32 kernels' summation order (DESIGN.md section 5)

    [Fact]
    public void Logits_of_a_batch_of_tokens_match_decoding_them_one_at_a_time()
    {
        var model = tiers.Target;
        var tokens = model.Vocabulary.Tokenize("The old man went to the mountain to cut wood", addBos: true, parseSpecial: false);

        var batch = new DecodeBatch();
        var first = batch.AddRange(tokens, 0, 0, logitsForLast: tokens.Length);
        model.Decode(batch);
        var batched = Enumerable.Range(0, tokens.Length).Select(i => model.Logits(first + i).ToArray()).ToList();
        model.Truncate(0, 0);

        for (var i = 0; i < tokens.Length; i++)
        {
            batch.Clear();
            var handle = batch.Add(tokens[i], i, 0, wantLogits: true);
            model.Decode(batch);
            AssertClose(batched[i], model.Logits(handle));
        }
        model.Truncate(0, 0);
    }

    [Fact]
    public void Removing_kv_from_a_position_and_decoding_other_tokens_there_gives_fresh_logits()
    {
        var model = tiers.Qualifier;
        var prefix = model.Vocabulary.Tokenize("The peach floated down the river", addBos: true, parseSpecial: false);
        var wrong = model.Vocabulary.Tokenize(" and the dog barked", addBos: false, parseSpecial: false);
        var right = model.Vocabulary.Tokenize(" and the old woman", addBos: false, parseSpecial: false);

        var reference = DecodeFresh(model, [.. prefix, .. right]);

        var batch = new DecodeBatch();
        batch.AddRange([.. prefix, .. wrong], 0, 1, logitsForLast: 0);
        model.Decode(batch);
        model.Truncate(1, prefix.Length);
        batch.Clear();
        var handle = batch.AddRange(right, prefix.Length, 1, logitsForLast: 1);
        model.Decode(batch);
        AssertClose(reference, model.Logits(handle));
        model.Truncate(1, 0);
    }

    [Fact]
    public void A_prefix_copied_from_another_sequence_continues_as_if_decoded_there()
    {
        var model = tiers.Target;
        var prefix = model.Vocabulary.Tokenize("The old woman washed clothes in the river", addBos: true, parseSpecial: false);
        var rest = model.Vocabulary.Tokenize(" when a peach came", addBos: false, parseSpecial: false);
        var reference = DecodeFresh(model, [.. prefix, .. rest]);

        var batch = new DecodeBatch();
        batch.AddRange([.. prefix, .. rest], 0, 1, logitsForLast: 0);
        model.Decode(batch);
        model.CopyPrefix(1, 2, prefix.Length);
        model.Truncate(1, 0); // the copy must not depend on the source staying
        batch.Clear();
        var handle = batch.AddRange(rest, prefix.Length, 2, logitsForLast: 1);
        model.Decode(batch);

        AssertClose(reference, model.Logits(handle));
        model.Truncate(2, 0);
    }

    [Fact]
    public void Several_sequences_in_one_batch_each_get_their_own_logits()
    {
        var model = tiers.Draft;
        var a = model.Vocabulary.Tokenize("The dog", addBos: true, parseSpecial: false);
        var b = model.Vocabulary.Tokenize("The monkey and the pheasant", addBos: true, parseSpecial: false);
        var aloneA = DecodeFresh(model, a);
        var aloneB = DecodeFresh(model, b);

        var batch = new DecodeBatch();
        var handleA = batch.AddRange(a, 0, 2, logitsForLast: 1);
        var handleB = batch.AddRange(b, 0, 3, logitsForLast: 1);
        model.Decode(batch);

        AssertClose(aloneA, model.Logits(handleA));
        AssertClose(aloneB, model.Logits(handleB));
        model.Truncate(2, 0);
        model.Truncate(3, 0);
    }

    [Fact]
    public void A_chat_is_rendered_with_the_models_template()
    {
        var prompt = tiers.Target.Vocabulary.RenderChat([("system", "Tell the tale."), ("user", "Who found the peach?")]);
        Assert.Equal("<|im_start|>system\nTell the tale.<|im_end|>\n<|im_start|>user\nWho found the peach?<|im_end|>\n<|im_start|>assistant\n", prompt);
        var tokens = tiers.Target.Vocabulary.Tokenize(prompt, addBos: true, parseSpecial: true);
        Assert.Contains(tokens, t => tiers.Target.Vocabulary.IsEndOfGeneration(t)); // <|im_end|> became one special token
    }

    [Fact]
    public void A_vocabulary_mismatch_between_tiers_is_refused_before_loading()
    {
        var family = Momo.Testing.TestFamilies.Tiny;
        var other = Momo.Testing.TestFamilies.OtherVocabulary;
        var error = Assert.Throws<ModelLoadException>(() => ModelPreflight.Check(family.TargetPath, other.QualifierPath, family.DraftPath));
        Assert.Contains("qualifier", error.Message, StringComparison.Ordinal);
        Assert.Contains("differs", error.Message, StringComparison.Ordinal);
    }

    private static float[] DecodeFresh(LlamaTierModel model, int[] tokens)
    {
        var batch = new DecodeBatch();
        var handle = batch.AddRange(tokens, 0, 0, logitsForLast: 1);
        model.Decode(batch);
        var logits = model.Logits(handle).ToArray();
        model.Truncate(0, 0);
        return logits;
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0f;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }
        Assert.True(worst <= Tolerance, $"logits differ by up to {worst}");
    }
}
