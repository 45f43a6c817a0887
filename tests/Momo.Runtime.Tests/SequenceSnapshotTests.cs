using Momo.Engine.Runtime;

namespace Momo.Runtime.Tests;

/// <summary>
/// A sequence's KV copied to host memory and written back (llama_state_seq_get_data / set_data through LLamaSharp), as
/// the prompt cache does: the restored sequence continues as the original would.
/// </summary>
[Collection(TierCollection.Name)]
public sealed class SequenceSnapshotTests(TierFixture tiers)
{
    [Fact]
    public void A_sequence_saved_and_restored_into_another_continues_with_the_same_logits()
    {
        var model = tiers.Target;
        var prefix = model.Vocabulary.Tokenize("The old man went to the mountain and the old woman went to the river", addBos: true, parseSpecial: false);
        var rest = model.Vocabulary.Tokenize(" where a great peach came", addBos: false, parseSpecial: false);

        var batch = new DecodeBatch();
        batch.AddRange(prefix, 0, 1, logitsForLast: 0);
        model.Decode(batch);
        var reference = Continue(model, 1, prefix.Length, rest);
        model.Truncate(1, prefix.Length);

        using var snapshot = model.SaveSequence(1);
        model.Truncate(1, 0); // the snapshot must not depend on the source staying
        Assert.True(snapshot.Bytes > 0, "the snapshot is empty");
        Assert.True(model.RestoreSequence(2, snapshot), "the restore found no room");
        var restored = Continue(model, 2, prefix.Length, rest);
        model.Truncate(2, 0);

        // The same cells' data at the same positions: the logits are bit for bit the original's.
        Assert.Equal(reference, restored);
    }

    [Fact]
    public void A_snapshot_of_every_tier_restores_into_each_tier_independently()
    {
        foreach (var model in new[] { tiers.Draft, tiers.Qualifier, tiers.Target })
        {
            var tokens = model.Vocabulary.Tokenize("Momotaro grew strong", addBos: true, parseSpecial: false);
            var batch = new DecodeBatch();
            batch.AddRange(tokens, 0, 3, logitsForLast: 0);
            model.Decode(batch);
            using var snapshot = model.SaveSequence(3);
            model.Truncate(3, 0);

            Assert.True(model.RestoreSequence(3, snapshot), $"{model.Name}: the restore found no room");
            var reference = Continue(model, 3, tokens.Length, [tokens[^1]]);
            model.Truncate(3, 0);
            batch.Clear();
            batch.AddRange(tokens, 0, 3, logitsForLast: 0);
            model.Decode(batch);
            Assert.Equal(Continue(model, 3, tokens.Length, [tokens[^1]]), reference);
            model.Truncate(3, 0);
        }
    }

    private static float[] Continue(LlamaTierModel model, int sequence, int position, int[] tokens)
    {
        var batch = new DecodeBatch();
        var handle = batch.AddRange(tokens, position, sequence, logitsForLast: 1);
        model.Decode(batch);
        return model.Logits(handle).ToArray();
    }
}
