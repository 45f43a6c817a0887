using Momo.Gguf;

namespace Momo.Forge.Tests;

public class VocabularyValidatorTests
{
    private static GgufVocabulary Vocab(string[] tokens, int eos = 2) =>
        new("llama", tokens, tokens.Select(_ => 1).ToArray(), tokens.Select(t => (float)t.Length).ToArray(), 1, eos, eos, 0, null);

    private static string[] Padded(int extra) => [.. Base, .. Enumerable.Range(Base.Length, extra).Select(i => $"[PAD{i}]")];

    private static readonly string[] Base = ["<unk>", "<s>", "</s>", "▁the", "▁peach"];

    [Fact]
    public void Identical_vocabularies_have_no_difference() =>
        Assert.Null(VocabularyValidator.FirstDifference(Vocab(Base), Vocab([.. Base])));

    [Fact]
    public void A_changed_token_is_named_with_its_id_and_both_texts()
    {
        var changed = Base.ToArray();
        changed[3] = "▁The";
        Assert.Equal("token 3 differs: '▁the' vs '▁The'", VocabularyValidator.FirstDifference(Vocab(Base), Vocab(changed)));
    }

    [Fact]
    public void Vocabularies_that_differ_only_by_up_to_128_padding_tokens_are_compatible_either_way_round()
    {
        Assert.Null(VocabularyValidator.FirstDifference(Vocab(Base), Vocab(Padded(128))));
        Assert.Null(VocabularyValidator.FirstDifference(Vocab(Padded(64)), Vocab(Base)));
    }

    [Fact]
    public void A_size_difference_over_128_is_named_with_both_sizes() =>
        Assert.Equal("vocabulary size differs by more than 128: 5 vs 134", VocabularyValidator.FirstDifference(Vocab(Base), Vocab(Padded(129))));

    [Fact]
    public void A_changed_token_beyond_the_padding_is_not_compared_but_one_on_a_shared_id_is()
    {
        var changed = Padded(8);
        changed[^1] = "<|im_end|>";
        Assert.Null(VocabularyValidator.FirstDifference(Vocab(Base), Vocab(changed)));
        changed[4] = "▁Peach";
        Assert.Equal("token 4 differs: '▁peach' vs '▁Peach'", VocabularyValidator.FirstDifference(Vocab(Base), Vocab(changed)));
    }

    [Fact]
    public void A_different_pre_tokenizer_or_end_of_message_token_is_named()
    {
        Assert.Equal("pre-tokenizer differs: 'llama-bpe' vs 'qwen2'", VocabularyValidator.FirstDifference(
            Vocab(Base) with { PreTokenizer = "llama-bpe" }, Vocab(Base) with { PreTokenizer = "qwen2" }));
        Assert.Equal("eom_token_id differs: 3 vs none", VocabularyValidator.FirstDifference(Vocab(Base) with { EomId = 3 }, Vocab(Base)));
    }

    [Fact]
    public void A_different_eos_is_named_with_both_ids() =>
        Assert.Equal("eos_token_id differs: 2 vs 4", VocabularyValidator.FirstDifference(Vocab(Base), Vocab(Base, eos: 4)));

    [Fact]
    public void Validate_reports_duplicates_empty_vocabularies_and_special_ids_out_of_range()
    {
        Assert.Contains("duplicate token text '▁the' at ids 3 and 5", VocabularyValidator.Validate(Vocab([.. Base, "▁the"])));
        Assert.Contains(VocabularyValidator.Validate(Vocab([], eos: 0)), p => p.Contains("empty", StringComparison.Ordinal));
        Assert.Contains("eos_token_id 9 is out of range (vocabulary size 5)", VocabularyValidator.Validate(Vocab(Base, eos: 9)));
    }
}
