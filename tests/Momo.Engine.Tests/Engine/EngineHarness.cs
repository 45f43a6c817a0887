using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Engine.Runtime;
using Momo.Engine.Sampling;
using Momo.Engine.Speculation;
using Momo.Testing;

namespace Momo.Engine.Tests.Engine;

/// <summary>An engine over three fake tiers, plus helpers to run requests to completion.</summary>
internal sealed class EngineHarness : IDisposable
{
    public const int Vocabulary = 32;

    private EngineHarness(FakeTierModel draft, FakeTierModel qualifier, FakeTierModel target, InferenceEngine engine)
    {
        Draft = draft;
        Qualifier = qualifier;
        Target = target;
        Engine = engine;
    }

    public FakeTierModel Draft { get; }
    public FakeTierModel Qualifier { get; }
    public FakeTierModel Target { get; }
    public InferenceEngine Engine { get; }

    // batchTokens: each tier's limit of tokens per decode; endBias: logit offset of the end token in every tier
    // (negative keeps generations long); rule: the acceptance rule the engine's stages use, null for the exact one;
    // draftVocabulary, qualifierVocabulary: those tiers' own sizes when they differ from the target's (their ids past
    // the target's get paddingBias); text: the token texts, when a test needs other than "t{id} "; gate: decodes of the
    // target pass it (a test holds generations with it), and the engine's stop opens it.
    public static EngineHarness Create(
        EngineOptions? options = null, int draftKv = 1 << 20, int qualifierKv = 1 << 20, int targetKv = 1 << 20, int vocabulary = Vocabulary,
        int batchTokens = 4096, float endBias = FakeTierModel.DefaultEndBias, AcceptanceRule? rule = null,
        int? draftVocabulary = null, int? qualifierVocabulary = null, float paddingBias = 0f, ITokenText? text = null,
        DraftLengthPlanner? planner = null, DecodeGate? gate = null)
    {
        var draft = new FakeTierModel(
            "draft", draftVocabulary ?? vocabulary, disagreement: 1.6, draftKv, batchTokens, endBias, vocabulary, paddingBias);
        var qualifier = new FakeTierModel(
            "qualifier", qualifierVocabulary ?? vocabulary, disagreement: 0.8, qualifierKv, batchTokens, endBias, vocabulary, paddingBias);
        var target = new FakeTierModel("target", vocabulary, disagreement: 0.0, targetKv, batchTokens, endBias);
        var tiers = new TierSet(gate?.Wrap(target) ?? target, qualifier, draft);
        var engine = new InferenceEngine(tiers, text ?? new FakeVocabulary(), options ?? new EngineOptions(MaxSequences: 16, ContextPerSequence: 4096),
            planner ?? FakeCosts.Planner(), new System.Diagnostics.Metrics.Meter("test"), NullLogger.Instance, rule ?? SpeculativeSampling.Verify);
        gate?.ReleaseOn(engine.Stopping);
        return new EngineHarness(draft, qualifier, target, engine);
    }

    /// <summary>The three fake tiers, smallest first.</summary>
    public IEnumerable<FakeTierModel> Tiers => [Draft, Qualifier, Target];

    public static GenerationRequest Request(
        int[] prompt, DecodingMode mode, int maxTokens = 24, int? draft = null, int? qualified = null,
        SamplingParameters? sampling = null, double? fuzzy = null, bool? lookup = null) =>
        new($"req-{Guid.NewGuid():N}", prompt, sampling ?? SamplingParameters.Greedy, maxTokens, [],
            new SpeculationSettings(mode, draft, qualified, fuzzy, lookup));

    public async Task<(string Text, GenerationUpdate Last)> RunAsync(GenerationRequest request, CancellationToken cancellation = default)
    {
        var text = new StringBuilder();
        GenerationUpdate? last = null;
        await foreach (var update in Engine.Submit(request, cancellation).ReadAllAsync(CancellationToken.None))
        {
            text.Append(update.Text);
            last = update;
        }
        return (text.ToString(), last ?? throw new InvalidOperationException("no updates"));
    }

    /// <summary>Prompt <paramref name="index"/> of a fixed set: different lengths and tokens (never the end token).</summary>
    public static int[] Prompt(int index) => PromptWithin(index, Vocabulary);

    /// <summary>Prompt <paramref name="index"/> with ids below <paramref name="vocabulary"/> (for a smaller harness).</summary>
    public static int[] PromptWithin(int index, int vocabulary)
    {
        var random = new Random(1000 + index);
        return Enumerable.Range(0, 3 + (index % 9)).Select(_ => random.Next(2, vocabulary)).ToArray();
    }

    public void Dispose() => Engine.Dispose();
}
