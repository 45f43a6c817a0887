using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Momo.Engine.Runtime;
using Momo.Engine.Sampling;
using Momo.Forge;
using Momo.Grammar;
using Momo.Grammar.Masks;

namespace Momo.Bench;

/// <summary>
/// <c>momo-bench --mask-cost</c>: the cost of a grammar's token mask per row over the forged byte-level BPE families'
/// real vocabularies (cl100k_base for Llama 3, 100,512 tokens; o200k_base for ChatML, 200,001), in the states a tool
/// call passes through: the first computation at a position, the cached one every other tier's row at that position
/// reuses, and applying the mask to a row. The mask is computed once per position and shared by every tier's row there.
/// </summary>
internal static class MaskCost
{
    private const string ToolSchema = """
        {"type":"object","required":["command"],"properties":{"title":{"type":"string","maxLength":120},
        "command":{"type":"string"},"workdir":{"type":"string"},"env":{"type":"object","patternProperties":{"^.*$":{"type":"string"}}},
        "yieldMs":{"type":"number","minimum":0},"background":{"type":"boolean"},"host":{"enum":["auto","sandbox","gateway","node"],"type":"string"}}}
        """;

    private static readonly (string State, bool Lazy, string Text)[] States =
    [
        ("start of object", false, ""),
        ("inside a declared key", false, "{\"comm"),
        ("inside a map key (patternProperties)", false, "{\"command\":\"ls\",\"env\":{\"PA"),
        ("inside a string value", false, "{\"command\":\"ls -la /tm"),
        ("inside a number", false, "{\"command\":\"ls\",\"yieldMs\":12"),
        ("after a value (, or })", false, "{\"command\":\"ls\""),
        ("complete (end only)", false, "{\"command\":\"ls\"}"),
        ("lazy: free text", true, "Sure, I can look that up for you. "),
        ("lazy: part of the trigger", true, "Let me check. <tool"),
        ("lazy: after the trigger", true, "Let me check. <tool_call>{\"name\":\"exec\",\"arguments\":{\"command\":\"l"),
    ];

    public static void Run(string directory)
    {
        foreach (var preset in new[] { FamilyPreset.Llama3Bpe, FamilyPreset.ChatMlBpe })
        {
            var family = FamilyForge.EnsureFamily(Path.Combine(directory, preset.Name), preset, 42);
            using var target = LlamaTierModel.Load(new TierLoadOptions("target", family.TargetPath, 0, 256, 1, 1, 64));
            Measure(preset.Name, target.Vocabulary, target.VocabularySize, family.TargetPath);
        }
    }

    private static void Measure(string name, IModelText text, int size, string modelPath)
    {
        var build = Stopwatch.StartNew();
        var vocabulary = new GrammarVocabulary(size, t => text.Piece(t).ToArray(), text.IsEndOfGeneration);
        Console.WriteLine($"{name}: {size:N0} tokens; mask index built once per engine in {build.ElapsedMilliseconds} ms " +
            $"({vocabulary.All.Nodes:N0} trie nodes, {vocabulary.Complex.Nodes:N0} outside plain string text)");
        var schema = JsonDocument.Parse(ToolSchema).RootElement;
        var structured = OutputGrammar.JsonSchema(schema);
        var call = OutputGrammar.Sequence(
            OutputGrammar.Literal("<tool_call>{\"name\":\"exec\",\"arguments\":"), structured, OutputGrammar.Literal("}</tool_call>"));
        var lazy = OutputGrammar.Lazy(["<tool_call>"], call);
        var logits = new float[size];
        var random = new Random(5);
        for (var i = 0; i < size; i++)
        {
            logits[i] = (float)(random.NextDouble() * 12 - 8);
        }
        var row = new float[size];
        var distribution = new TokenDistribution(new SamplingParameters { Temperature = 0.8f }, size);
        Console.WriteLine($"  {"state",-40} {"allowed",9} {"first µs",10} {"cached µs",10} {"next µs",9} {"row+mask µs",12}");
        var letters = new[] { text.Tokenize("a", false, false).Single(), text.Tokenize("b", false, false).Single() };
        foreach (var (state, isLazy, prefix) in States)
        {
            var grammar = (isLazy ? lazy : structured).Compiled;
            var tokens = text.Tokenize(prefix, addBos: false, parseSpecial: false);
            var track = new GrammarTrack(grammar, vocabulary);
            var mask = track.MaskAfter(tokens).ToArray();
            var matchState = grammar.Advance(grammar.Start, Encoding.UTF8.GetBytes(prefix))!;
            var scratch = new ulong[vocabulary.Words];
            var first = Median(() => TokenMasks.Compute(grammar, vocabulary, matchState, scratch), 21);
            // A cache hit takes nanoseconds, below the clock's resolution: timed over 1,000 lookups.
            var cached = Median(() => CachedLookups(track, tokens, 1000), 101) / 1000;
            var masked = Median(() => distribution.Compute(logits, [], row, mask), 101);
            // The next position inside the same string ("a" or "b" more), as a sequence's track computes it.
            var next = grammar.Advance(matchState, (byte)'a') is { } after && after.Heads.Length == 1 && !isLazy
                ? $"{NextPosition(track, tokens, letters):F1}"
                : "-";
            Console.WriteLine($"  {state,-40} {GrammarVocabulary.Count(mask),9:N0} {first,10:F1} {cached,10:F3} {next,9} {masked,12:F1}");
        }
        LlamaGrammarCost.Run(modelPath, text, vocabulary, logits);
        // Last, once the code above has warmed up the same distribution code.
        Console.WriteLine($"  {"(row without a mask, temperature 0.8)",-40} {"",9} {"",10} {"",10} {"",9} {Median(() => distribution.Compute(logits, [], row), 101),12:F1}");
    }

    private static double NextPosition(GrammarTrack track, int[] tokens, int[] letters)
    {
        int[][] histories = [[.. tokens, letters[0]], [.. tokens, letters[1]]];
        var turn = 0;
        return Median(() => _ = track.MaskAfter(histories[turn++ & 1]), 101);
    }

    private static void CachedLookups(GrammarTrack track, int[] tokens, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _ = track.MaskAfter(tokens);
        }
    }

    private static double Median(Action work, int repetitions)
    {
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 300)
        {
            work();
        }
        var times = new double[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            var start = Stopwatch.GetTimestamp();
            work();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(times);
        return times[repetitions / 2];
    }
}
