using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Momo.Engine;
using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Engine.Runtime;
using Momo.Engine.Sampling;
using Momo.Engine.Speculation;
using Momo.Forge;
using Momo.Grammar;
using Momo.Testing;

namespace Momo.Runtime.Tests;

/// <summary>
/// Constrained decoding through real llama.cpp tiers (forged families): every output validates with an independent
/// JSON-schema validator in every mode, and greedy output under a grammar is the same in every mode.
/// </summary>
public sealed class ConstrainedForgedFamilyTests
{
    private static readonly DecodingMode[] Modes = [DecodingMode.TargetOnly, DecodingMode.TwoTier, DecodingMode.Pyramid, DecodingMode.Auto];

    private static readonly string[] Schemas =
    [
        """{"type":"object","required":["action"],"properties":{"action":{"type":"string","enum":["list","poll","send-keys"]},"keys":{"type":"array","items":{"type":"string","maxLength":6},"maxItems":2},"timeout":{"type":"integer","minimum":0,"maximum":30000}}}""",
        """{"anyOf":[{"type":"object","properties":{"kind":{"const":"a"},"n":{"type":"number","exclusiveMinimum":0,"maximum":1}},"required":["kind","n"]},{"type":"object","properties":{"kind":{"const":"b"},"tag":{"type":"string","pattern":"^[a-z]{1,5}$"}},"required":["kind","tag"]}]}""",
        """{"type":"array","items":{"type":["string","null","boolean"],"maxLength":5},"minItems":1,"maxItems":3}""",
    ];

    public static TheoryData<string> Families => ["tiny", "llama3-bpe"];

    private static ForgedFamily Family(string name) => name == "tiny" ? TestFamilies.Tiny : TestFamilies.Llama3Bpe;

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Sampled_output_validates_in_every_mode(string family)
    {
        using var loaded = Load(Family(family));
        using var engine = Engine(loaded);
        var prompt = loaded.Text.Tokenize("Once upon a time", addBos: true, parseSpecial: false);
        foreach (var schema in Schemas)
        {
            var grammar = OutputGrammar.JsonSchema(JsonDocument.Parse(schema).RootElement);
            foreach (var mode in Modes)
            {
                for (ulong seed = 1; seed <= 2; seed++)
                {
                    var (text, last) = await RunAsync(engine, prompt, mode, grammar, new SamplingParameters { Temperature = 1, Seed = seed });
                    Assert.True(last.Finish == FinishReason.Stop, $"{mode} seed {seed}: {last.Finish} {last.Error} after '{text}'");
                    Assert.True(SchemaValidator.IsValid(schema, text), $"{family} {mode} seed {seed}: {text}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Greedy_output_under_a_grammar_is_the_same_in_every_mode(string family)
    {
        using var loaded = Load(Family(family));
        using var engine = Engine(loaded);
        var prompt = loaded.Text.Tokenize("The old man went to the mountain", addBos: true, parseSpecial: false);
        foreach (var schema in Schemas)
        {
            var grammar = OutputGrammar.JsonSchema(JsonDocument.Parse(schema).RootElement);
            var texts = new List<string>();
            foreach (var mode in Modes)
            {
                var (text, last) = await RunAsync(engine, prompt, mode, grammar, SamplingParameters.Greedy);
                Assert.Equal(FinishReason.Stop, last.Finish);
                texts.Add(text);
            }
            Assert.True(SchemaValidator.IsValid(schema, texts[0]), texts[0]);
            Assert.All(texts, t => Assert.Equal(texts[0], t));
        }
    }

    private static LoadedModel Load(ForgedFamily family)
    {
        TierLoadOptions Options(string name, string path) => new(name, path, 0, KvCells: 4 * 1024, MaxSequences: 4, Threads: 2, BatchTokens: 512);
        return TierSetLoader.Load(Options("target", family.TargetPath), Options("qualifier", family.QualifierPath), Options("draft", family.DraftPath));
    }

    private static InferenceEngine Engine(LoadedModel loaded)
    {
        double[] Curve(double unit) => [.. Enumerable.Range(1, 16).Select(k => unit * (1 + (0.1 * (k - 1))))];
        var planner = new DraftLengthPlanner(new TierCostCurve(Curve(1)), new TierCostCurve(Curve(2)), new TierCostCurve(Curve(4)));
        return new InferenceEngine(loaded.Tiers, loaded.Text, new EngineOptions(MaxSequences: 4, ContextPerSequence: 1024),
            planner, new Meter("constrained-test"), NullLogger.Instance);
    }

    private static async Task<(string Text, GenerationUpdate Last)> RunAsync(
        InferenceEngine engine, int[] prompt, DecodingMode mode, OutputGrammar grammar, SamplingParameters sampling)
    {
        var request = new GenerationRequest($"constrained-{Guid.NewGuid():N}", prompt, sampling, 400, [], new SpeculationSettings(mode)) { Grammar = grammar };
        var text = new StringBuilder();
        GenerationUpdate? last = null;
        await foreach (var update in engine.Submit(request, CancellationToken.None).ReadAllAsync())
        {
            text.Append(update.Text);
            last = update;
        }
        return (text.ToString(), last!);
    }
}
