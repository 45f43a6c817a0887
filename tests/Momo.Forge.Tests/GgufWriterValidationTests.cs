using Momo.Gguf;

namespace Momo.Forge.Tests;

public class GgufWriterValidationTests
{
    private static GgufWriter WithTokens(params string[] tokens)
    {
        var w = new GgufWriter();
        w.Metadata.Set(GgufKeys.TokenizerModel, "llama").Set(GgufKeys.Tokens, tokens);
        return w;
    }

    [Fact]
    public void Writer_refuses_duplicate_token_texts_naming_both_ids()
    {
        var stream = new MemoryStream();
        var e = Assert.Throws<GgufException>(() => WithTokens("<unk>", "▁peach", "▁momo", "▁peach").WriteTo(stream));
        Assert.Contains("duplicate token text '▁peach' at ids 1 and 3", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void Writer_refuses_scores_of_the_wrong_length_and_special_ids_out_of_range()
    {
        var w = WithTokens("<unk>", "a");
        w.Metadata.Set(GgufKeys.Scores, new[] { 0f }).Set(GgufKeys.EosId, 9u);
        var e = Assert.Throws<GgufException>(w.Validate);
        Assert.Contains("scores has 1 entries but there are 2 tokens", e.Message, StringComparison.Ordinal);
        Assert.Contains("eos_token_id 9 is out of range", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_refuses_tensors_whose_data_does_not_match_their_dims_and_duplicate_names()
    {
        var w = new GgufWriter();
        w.AddTensor("t", GgmlType.F32, [4, 2], new float[7]).AddTensor("t", GgmlType.F32, [1], new float[1]);
        var e = Assert.Throws<GgufException>(w.Validate);
        Assert.Contains("hold 8 elements but data has 7", e.Message, StringComparison.Ordinal);
        Assert.Contains("duplicate tensor name 't'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_refuses_q8_0_rows_that_are_not_whole_blocks()
    {
        var w = new GgufWriter().AddTensor("q", GgmlType.Q8_0, [48], new float[48]);
        Assert.Contains("not a multiple of 32", Assert.Throws<GgufException>(w.Validate).Message, StringComparison.Ordinal);
    }
}
