using System.Text;
using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Engine.Sampling;
using Momo.Grammar;
using Momo.Testing;

namespace Momo.Engine.Tests.Engine;

/// <summary>The engine over fake tiers whose vocabulary can spell JSON: every constrained output, in every mode, validates.</summary>
public sealed class ConstrainedEngineTests
{
    private static readonly GrammarTestVocabulary Text = new();
    private static readonly int[] Prompt = [GrammarTestVocabulary.Byte((byte)'h'), GrammarTestVocabulary.Byte((byte)'i'), 300];
    private static readonly DecodingMode[] Modes = [DecodingMode.TargetOnly, DecodingMode.TwoTier, DecodingMode.Pyramid, DecodingMode.Auto];

    public static TheoryData<string> Bounded => [.. ConformanceSchema.All.Where(s => s.Bounded).Select(s => s.Name)];

    private static EngineHarness Harness() => EngineHarness.Create(vocabulary: Text.Count, text: Text);

    private static GenerationRequest Request(DecodingMode mode, OutputGrammar grammar, SamplingParameters sampling, int maxTokens = 400) =>
        EngineHarness.Request(Prompt, mode, maxTokens, sampling: sampling) with { Grammar = grammar };

    [Theory]
    [MemberData(nameof(Bounded))]
    public async Task Sampled_output_validates_in_every_mode_and_for_several_seeds(string name)
    {
        var schema = ConformanceSchema.All.Single(s => s.Name == name);
        var grammar = OutputGrammar.JsonSchema(schema.Element);
        using var harness = Harness();
        foreach (var mode in Modes)
        {
            for (ulong seed = 1; seed <= 3; seed++)
            {
                var (text, last) = await harness.RunAsync(Request(mode, grammar, new SamplingParameters { Temperature = 1, Seed = seed }));
                Assert.True(last.Finish == FinishReason.Stop, $"{mode} seed {seed}: {last.Finish} {last.Error} after '{text}'");
                Assert.True(SchemaValidator.IsValid(schema.Schema, text), $"{mode} seed {seed}: {text}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Bounded))]
    public async Task Greedy_output_under_a_grammar_is_identical_in_every_mode(string name)
    {
        var schema = ConformanceSchema.All.Single(s => s.Name == name);
        var grammar = OutputGrammar.JsonSchema(schema.Element);
        using var harness = Harness();
        var texts = new List<string>();
        foreach (var mode in Modes)
        {
            var (text, last) = await harness.RunAsync(Request(mode, grammar, SamplingParameters.Greedy));
            Assert.Equal(FinishReason.Stop, last.Finish);
            texts.Add(text);
        }
        Assert.True(SchemaValidator.IsValid(schema.Schema, texts[0]), texts[0]);
        Assert.All(texts, t => Assert.Equal(texts[0], t));
    }

    [Fact]
    public async Task Lazy_grammar_leaves_prose_free_and_holds_text_after_the_trigger_to_the_tool_call()
    {
        var call = OutputGrammar.Sequence(
            OutputGrammar.Literal("<tool_call>"), OutputGrammar.JsonSchema(ConformanceSchema.All[1].Element), OutputGrammar.Literal("</tool_call>"));
        var grammar = OutputGrammar.Lazy(["<tool_call>"], call);
        var trigger = Enumerable.Range(0, Text.Count).Single(t => Encoding.UTF8.GetString(Text.Piece(t)) == "<tool_call>");
        using var harness = Harness();
        var (triggered, free) = (0, 0);
        for (ulong seed = 1; seed <= 12; seed++)
        {
            // Half the runs favour the trigger token, half ban it outright.
            var bias = new Dictionary<int, float> { [trigger] = seed % 2 == 0 ? 6f : -100f };
            var sampling = new SamplingParameters { Temperature = 1, Seed = seed, LogitBias = bias };
            var (text, last) = await harness.RunAsync(Request(Modes[(int)(seed % 4)], grammar, sampling, maxTokens: 120));
            var at = text.IndexOf("<tool_call>", StringComparison.Ordinal);
            if (at < 0)
            {
                free++;
                continue;
            }
            triggered++;
            Assert.True(last.Finish == FinishReason.Stop, $"{last.Finish} after '{text}'");
            Assert.EndsWith("</tool_call>", text, StringComparison.Ordinal);
            var json = text[(at + "<tool_call>".Length)..^"</tool_call>".Length];
            Assert.True(SchemaValidator.IsValid(ConformanceSchema.All[1].Schema, json), json);
        }
        Assert.True(triggered > 0 && free > 0, $"triggered {triggered}, free {free}");
    }

    [Fact]
    public async Task A_prompt_lookup_proposing_tokens_the_grammar_refuses_never_reaches_the_output()
    {
        // The prompt repeats text the grammar forbids, so lookup proposes it; the verifier gives it probability 0.
        var prompt = Encoding.UTF8.GetBytes("xyzxyzxyz").Select(b => GrammarTestVocabulary.Byte(b)).ToArray();
        var schema = ConformanceSchema.All.Single(s => s.Name == "enums of any values");
        var grammar = OutputGrammar.JsonSchema(schema.Element);
        using var harness = Harness();
        for (ulong seed = 1; seed <= 4; seed++)
        {
            var request = EngineHarness.Request(prompt, DecodingMode.Auto, 200, sampling: new SamplingParameters { Temperature = 1, Seed = seed }, lookup: true)
                with { Grammar = grammar };
            var (text, last) = await harness.RunAsync(request);
            Assert.Equal(FinishReason.Stop, last.Finish);
            Assert.True(SchemaValidator.IsValid(schema.Schema, text), text);
        }
    }

    [Fact]
    public void A_grammar_outside_the_supported_subset_is_refused_when_the_request_is_built()
    {
        var schema = System.Text.Json.JsonDocument.Parse("""{"type":"array","uniqueItems":true}""").RootElement;
        var failure = Assert.Throws<GrammarException>(() => OutputGrammar.JsonSchema(schema));
        Assert.Equal("/uniqueItems", failure.SchemaPath);
    }

    [Fact]
    public async Task A_grammar_no_token_can_continue_fails_only_its_own_request()
    {
        // The fake tiers' tokens read "t{id} ": none begins with "x".
        using var harness = EngineHarness.Create();
        GenerationRequest Constrained(string literal) =>
            EngineHarness.Request(EngineHarness.Prompt(1), DecodingMode.Pyramid, 20) with { Grammar = OutputGrammar.Literal(literal) };
        var doomed = harness.RunAsync(Constrained("x"));
        var fine = harness.RunAsync(Constrained("t5 t7 "));
        var (_, failed) = await doomed;
        Assert.Equal(FinishReason.Error, failed.Finish);
        Assert.Contains("allows no token", failed.Error, StringComparison.Ordinal);
        Assert.Equal("t5 t7 ", (await fine).Text);
    }
}
