using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Engine.Sampling;

namespace Momo.Engine.Tests.Engine;

/// <summary>
/// Tiers whose vocabularies differ in size, as real families' do (the larger models pad theirs): rows stay sized by the
/// target, a token a tier lacks has probability 0 there, and no tier ever proposes a token the target lacks.
/// </summary>
public sealed class EngineVocabularySizeTests
{
    private const int Target = EngineHarness.Vocabulary;

    public static TheoryData<DecodingMode, int, int> Sizes => new()
    {
        // A draft with 8 padding ids it strongly prefers: unmasked, it would propose one at nearly every position.
        { DecodingMode.TwoTier, Target + 8, Target },
        { DecodingMode.Pyramid, Target + 8, Target + 4 },
        // Smaller lower tiers: the target emits ids they lack, which they must still be fed.
        { DecodingMode.TwoTier, Target - 6, Target },
        { DecodingMode.Pyramid, Target - 6, Target - 3 },
        { DecodingMode.Pyramid, Target + 8, Target - 3 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Greedy_output_with_tiers_of_other_vocabulary_sizes_is_identical_to_the_target_alone(
        DecodingMode mode, int draftVocabulary, int qualifierVocabulary)
    {
        using var harness = EngineHarness.Create(draftVocabulary: draftVocabulary, qualifierVocabulary: qualifierVocabulary, paddingBias: 8f);
        var drafted = 0;
        for (var i = 0; i < 20; i++)
        {
            var prompt = EngineHarness.Prompt(i);
            var (expected, _) = await harness.RunAsync(EngineHarness.Request(prompt, DecodingMode.TargetOnly, maxTokens: 24));
            var (actual, last) = await harness.RunAsync(EngineHarness.Request(prompt, mode, maxTokens: 24, draft: 4, qualified: 8));
            Assert.Equal(expected, actual);
            Assert.True(last.Finish != FinishReason.Error, last.Error);
            drafted += last.Statistics!.DraftedTokens;
        }
        Assert.True(drafted > 0, "speculation must actually run");
    }

    [Fact]
    public async Task A_draft_that_prefers_its_padding_never_proposes_a_token_the_target_lacks()
    {
        // The fake target refuses (as llama_decode does) any id outside its vocabulary, so one padding proposal
        // reaching it would fail the request.
        using var harness = EngineHarness.Create(draftVocabulary: Target + 8, paddingBias: 50f);
        var sampling = new SamplingParameters { Temperature = 1f, Seed = 3 };
        for (var i = 0; i < 10; i++)
        {
            var (text, last) = await harness.RunAsync(EngineHarness.Request(EngineHarness.Prompt(i), DecodingMode.TwoTier, maxTokens: 30, draft: 4, sampling: sampling));
            Assert.True(last.Finish != FinishReason.Error, last.Error);
            Assert.DoesNotContain($"t{Target} ", text, StringComparison.Ordinal);
            Assert.True(last.Statistics!.DraftedTokens > 0);
        }
    }
}
