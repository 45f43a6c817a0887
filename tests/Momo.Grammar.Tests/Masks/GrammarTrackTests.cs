using System.Text;
using Momo.Grammar.Masks;
using Momo.Testing;

namespace Momo.Grammar.Tests.Masks;

public sealed class GrammarTrackTests
{
    private static readonly GrammarTestVocabulary Text = new();
    private static readonly GrammarVocabulary Vocabulary = Text.Index();

    private static int[] Tokens(string text) => [.. Encoding.UTF8.GetBytes(text).Select(GrammarTestVocabulary.Byte)];

    private static GrammarTrack Track() => new(OutputGrammar.AnyJsonObject().Compiled, Vocabulary);

    [Fact]
    public void Rows_at_one_position_share_one_mask_whatever_order_the_tiers_ask_in()
    {
        var track = Track();
        var tail = Tokens("{\"ab\":1");
        for (var n = tail.Length; n >= 0; n--)
        {
            _ = track.MaskAfter(tail.AsSpan(0, n)); // the draft went ahead; the verifiers come back over the same positions
        }
        for (var n = 0; n <= tail.Length; n++)
        {
            _ = track.MaskAfter(tail.AsSpan(0, n));
        }
        Assert.Equal(tail.Length + 1, track.MasksComputed);
    }

    [Fact]
    public void A_rejected_tail_is_dropped_and_the_new_one_masked_from_the_common_prefix()
    {
        var track = Track();
        var first = Tokens("{\"ab\":1");
        var second = Tokens("{\"ab\":[");
        _ = track.MaskAfter(first);
        var before = track.MasksComputed;
        var mask = track.MaskAfter(second).ToArray();
        Assert.Equal(before + 1, track.MasksComputed);
        Assert.True((mask[GrammarTestVocabulary.Byte((byte)']') >> 6] & (1UL << (GrammarTestVocabulary.Byte((byte)']') & 63))) != 0);
        Assert.True((mask[GrammarTestVocabulary.Byte((byte)'}') >> 6] & (1UL << (GrammarTestVocabulary.Byte((byte)'}') & 63))) == 0);
    }

    [Fact]
    public void After_a_token_the_grammar_refuses_no_constraint_applies()
    {
        var track = Track();
        Assert.True(track.MaskAfter(Tokens("x")).IsEmpty); // a lookup proposal the verifier will reject
        Assert.False(track.MaskAfter(Tokens("{")).IsEmpty);
    }
}
