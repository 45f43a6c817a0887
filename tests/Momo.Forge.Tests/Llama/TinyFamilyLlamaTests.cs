using Xunit.Abstractions;

namespace Momo.Forge.Tests.Llama;

public class TinyFamilyLlamaTests(TinyFamilyFixture fx, ITestOutputHelper output) : IClassFixture<TinyFamilyFixture>
{
    [Fact]
    public void A_corpus_sentence_tokenizes_into_whole_word_tokens()
    {
        const string Sentence = "The old man and the old woman went to the river.";
        var tokens = fx.Tiers[2].Context.Tokenize(Sentence, false, true).Select(t => (int)t).ToArray();
        // llama.cpp prefixes the text with a space, so the first word comes out as "▁The" too.
        string[] expected = ["▁The", "▁old", "▁man", "▁and", "▁the", "▁old", "▁woman", "▁went", "▁to", "▁the", "▁river", "."];
        Assert.Equal(expected, tokens.Select(t => fx.Vocab.Tokens[t]));
    }

    [Fact]
    public void A_chat_turn_marker_is_one_control_token_and_ends_generation()
    {
        var tokens = fx.Tiers[2].Context.Tokenize("<|im_start|>user\nHello<|im_end|>", true, true).Select(t => (int)t).ToArray();
        Assert.Equal(ForgeVocabulary.Bos, tokens[0]);
        Assert.Equal(ForgeVocabulary.ImStart, tokens[1]);
        Assert.Equal(ForgeVocabulary.ImEnd, tokens[^1]);
        Assert.Contains(ForgeVocabulary.Newline, tokens);
        Assert.Equal(ForgeVocabulary.ImEnd, (int)fx.Tiers[2].Weights.Vocab.EOS!.Value);
    }

    [Fact]
    public void A_greedy_decode_gives_corpus_words()
    {
        var words = fx.Tiers[2].Greedy([ForgeVocabulary.Bos, ForgeVocabulary.Newline], 12);
        output.WriteLine(string.Concat(words.Select(t => fx.Vocab.Tokens[t])));
        Assert.All(words, t => Assert.Contains(t, fx.Vocab.Emittable));
    }

    [Fact]
    public void The_tiers_differ_in_logits_but_mostly_agree_on_the_argmax()
    {
        var tokens = new List<int> { ForgeVocabulary.Bos };
        foreach (var p in fx.Vocab.Paragraphs.Take(12))
        {
            tokens.AddRange(p);
        }

        var logits = fx.Tiers.Select(t => t.Logits(tokens)).ToArray(); // [tier][position][vocab]
        var stats = TierAgreement.Measure(logits, temperature: 0.8f);
        output.WriteLine(stats.ToString());
        Assert.True(stats.MaxAbsLogitDifference[0] > 0.1f, "draft and target logits should differ");
        Assert.True(stats.ArgmaxAgreement[0] >= 0.8, $"draft/target argmax agreement {stats.ArgmaxAgreement[0]:F2}");
        Assert.True(stats.ArgmaxAgreement[1] >= 0.8, $"qualifier/target argmax agreement {stats.ArgmaxAgreement[1]:F2}");
    }

    [Fact]
    public void Attention_makes_the_logits_depend_on_earlier_tokens()
    {
        var the = fx.Vocab.Id("▁the");
        var a = fx.Tiers[2].Logits([ForgeVocabulary.Bos, fx.Vocab.Id("▁old"), the])[^1];
        var b = fx.Tiers[2].Logits([ForgeVocabulary.Bos, fx.Vocab.Id("▁river"), the])[^1];
        Assert.True(a.Zip(b).Max(x => Math.Abs(x.First - x.Second)) > 0.05f);
    }
}
