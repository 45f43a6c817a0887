using System.Diagnostics;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;
using Momo.Engine.Runtime;
using Momo.Grammar;
using Momo.Grammar.Masks;

namespace Momo.Bench;

/// <summary>
/// One comparison figure for <c>--mask-cost</c>: llama.cpp's own grammar sampler (through LLamaSharp) applied to a
/// full row of the same vocabulary, against this engine's first mask computation, for "any JSON object" in a few
/// states. llama.cpp filters the row's candidates itself; the engine computes a mask once per position and shares it.
/// </summary>
internal static class LlamaGrammarCost
{
    // The same language as OutputGrammar.AnyJsonObject(): compact JSON, one optional space after ':' and ','.
    private const string Gbnf = """
        root    ::= object
        value   ::= object | array | string | number | "true" | "false" | "null"
        object  ::= "{" ( string ":" " "? value ( "," " "? string ":" " "? value )* )? "}"
        array   ::= "[" ( value ( "," " "? value )* )? "]"
        string  ::= "\"" ( [^"\\\x7F\x00-\x1F] | "\\" ( ["\\/bfnrt] | "u" [0-9a-fA-F]{4} ) )* "\""
        number  ::= "-"? ( "0" | [1-9] [0-9]{0,14} ) ( "." [0-9]{1,12} )?
        """;

    private static readonly (string State, string Text)[] States =
    [
        ("start of object", ""),
        ("inside a string value", "{\"command\":\"ls -la /tm"),
        ("inside a number", "{\"a\":12"),
        ("after a value", "{\"a\":\"b\""),
    ];

    public static void Run(string modelPath, IModelText text, GrammarVocabulary vocabulary, float[] logits)
    {
        using var weights = LLamaWeights.LoadFromFile(new ModelParams(modelPath) { GpuLayerCount = 0 });
        var grammar = OutputGrammar.AnyJsonObject().Compiled;
        var template = new LLamaTokenData[logits.Length];
        for (var i = 0; i < logits.Length; i++)
        {
            template[i] = new LLamaTokenData((LLamaToken)i, logits[i], 0f);
        }
        var data = new LLamaTokenData[logits.Length];
        var copy = Median(() => template.CopyTo(data, 0));
        Console.WriteLine($"  llama.cpp grammar sampler vs this engine, any JSON object (µs; llama.cpp net of the {copy:F0} µs row copy):");
        Console.WriteLine($"  {"state",-40} {"llama.cpp",10} {"allowed",9} {"engine",10} {"allowed",9}");
        foreach (var (state, prefix) in States)
        {
            using var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
            chain.AddGrammar(weights.NativeHandle.Vocab, Gbnf, "root");
            foreach (var token in text.Tokenize(prefix, addBos: false, parseSpecial: false))
            {
                chain.Accept((LLamaToken)token);
            }
            void Apply()
            {
                template.CopyTo(data, 0);
                var array = new LLamaTokenDataArray(data, false);
                using (LLamaTokenDataArrayNative.Create(array, out var native))
                {
                    chain.Apply(ref native);
                }
            }
            var llama = Median(Apply) - copy;
            Apply();
            var llamaAllowed = data.Count(d => d.Logit > float.NegativeInfinity);
            var matchState = grammar.Advance(grammar.Start, Encoding.UTF8.GetBytes(prefix))!;
            var mask = new ulong[vocabulary.Words];
            var ours = Median(() => TokenMasks.Compute(grammar, vocabulary, matchState, mask));
            Console.WriteLine($"  {state,-40} {llama,10:F1} {llamaAllowed,9:N0} {ours,10:F1} {GrammarVocabulary.Count(mask),9:N0}");
        }
    }

    private static double Median(Action work)
    {
        work();
        var times = new double[21];
        for (var i = 0; i < times.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            work();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }
}
