using System.Globalization;
using Momo.Bench.CommandLine;
using Momo.Engine.Requests;

namespace Momo.Bench;

/// <summary>What the benchmark runs, parsed from the command line (see <see cref="Help"/>).</summary>
/// <param name="Preset">Forge preset of the in-process family (ignored with <paramref name="ModelsDirectory"/> or <paramref name="Url"/>).</param>
/// <param name="ModelsDirectory">A folder holding draft.gguf, qualifier.gguf and target.gguf to load instead of forging.</param>
/// <param name="Url">Base URL of a running OpenAI-compatible server (…/v1); null runs in-process.</param>
/// <param name="Model">Model id sent to <paramref name="Url"/>.</param>
/// <param name="OutputDirectory">Where the JSON, Markdown, HTML and PNG files go.</param>
/// <param name="Modes">Modes compared, in interleaving order.</param>
/// <param name="PromptSets">Shipped prompt sets used (chat, code, story).</param>
/// <param name="MaxTokens">Completion tokens per request (generation stops only at this; end of turn ends early).</param>
/// <param name="Temperatures">Sampling temperatures (0 = greedy).</param>
/// <param name="Concurrency">Concurrency levels: requests in flight at once.</param>
/// <param name="Rounds">Interleaved rounds: each runs every mode once per (temperature, concurrency) cell.</param>
/// <param name="DraftTokens">Fixed γ₁ (pyramid) and γ (two-tier); null with <paramref name="Adaptive"/> false picks the
/// planner's best fixed γ from a warm-up.</param>
/// <param name="QualifiedTokens">Fixed γ₂ (pyramid).</param>
/// <param name="Adaptive">Let the engine adapt γ per sequence instead of fixing it.</param>
/// <param name="CalibrationRepetitions">Repetitions per point of the tier cost curves (medians).</param>
/// <param name="Seed">Forge seed and base of the sampling seeds.</param>
/// <param name="Threads">CPU threads per tier; null uses every logical processor.</param>
/// <param name="Sweep">Measure the cost curves of candidate target shapes instead of benchmarking.</param>
/// <param name="NativeLibraryPath">A llama.cpp build (folder or libllama.so) to load instead of the bundled one.</param>
/// <param name="Peers">Other OpenAI-compatible servers run in the same interleaving (name → base URL).</param>
/// <param name="BanEndTokens">Send logit_bias −100 on the model's end-of-generation tokens (in process and to every peer),
/// so answers run to <paramref name="MaxTokens"/> and decode speed is measured on whole answers.</param>
internal sealed record BenchOptions(
    string Preset = "bench-pyramid",
    string? ModelsDirectory = null,
    string? Url = null,
    string Model = "momo-pyramid",
    string OutputDirectory = "bench-out",
    IReadOnlyList<DecodingMode>? Modes = null,
    IReadOnlyList<string>? PromptSets = null,
    int MaxTokens = 64,
    IReadOnlyList<double>? Temperatures = null,
    IReadOnlyList<int>? Concurrency = null,
    int Rounds = 6,
    int? DraftTokens = null,
    int? QualifiedTokens = null,
    bool Adaptive = false,
    int CalibrationRepetitions = 7,
    int Seed = 42,
    int? Threads = null,
    bool Sweep = false,
    string? NativeLibraryPath = null,
    IReadOnlyList<(string Name, string Url)>? Peers = null,
    bool BanEndTokens = false)
{
    /// <summary>Peers in interleaving order.</summary>
    public IReadOnlyList<(string Name, string Url)> PeerList => Peers ?? [];

    /// <summary>Modes in interleaving order (default: pyramid, two_tier, target_only).</summary>
    public IReadOnlyList<DecodingMode> ModeList => Modes ?? [DecodingMode.Pyramid, DecodingMode.TwoTier, DecodingMode.TargetOnly];

    /// <summary>Prompt sets (default: all shipped).</summary>
    public IReadOnlyList<string> PromptSetList => PromptSets ?? Workloads.PromptSets.Names;

    /// <summary>Temperatures (default: greedy only).</summary>
    public IReadOnlyList<double> TemperatureList => Temperatures ?? [0.0];

    /// <summary>Concurrency levels (default: 1 and 2).</summary>
    public IReadOnlyList<int> ConcurrencyList => Concurrency ?? [1, 2];

    /// <summary>The usage text.</summary>
    public const string Help = """
        momo-bench: pyramid vs two-tier vs target-only, interleaved, against the analytic bound.

        usage: dotnet run -c Release --project src/Momo.Bench -- [options]

          --preset NAME          forge preset to benchmark in-process (default bench-pyramid; see --list-presets)
          --models DIR           load DIR/draft.gguf, qualifier.gguf, target.gguf instead of forging
          --url URL              benchmark a running OpenAI-compatible server (e.g. http://127.0.0.1:8080/v1);
                                 requests carry "speculative":{mode,draft_tokens,qualified_tokens}, which others ignore
          --model ID             model id sent with --url (default momo-pyramid)
          --out DIR              output folder for report.json, report.md, report.html and PNG charts (default bench-out)
          --modes LIST           comma list of auto,pyramid,two_tier,target_only (default pyramid,two_tier,target_only)
          --prompts LIST         comma list of chat,code,story,agentic,long (default chat,code,story)
          --max-tokens N         completion tokens per request (default 64)
          --temperatures LIST    e.g. 0,0.8 (default 0 = greedy)
          --concurrency LIST     e.g. 1,2,4 (default 1,2)
          --rounds N             interleaved rounds A B C A B C ... (default 6)
          --draft-tokens N       fixed γ₁ (and two-tier γ)
          --qualified-tokens M   fixed γ₂
          --adaptive             let the engine adapt γ per sequence (default: best fixed γ from a warm-up)
          --ban-end              logit_bias -100 on the end-of-generation tokens (in process and to peers), so every
                                 answer runs to --max-tokens (needs the models in process: --preset or --models)
          --calibration-reps N   repetitions per cost-curve point (default 7)
          --seed N               forge and sampling seed (default 42)
          --threads N            CPU threads per tier
          --sweep                measure cost(k)/cost(1) of candidate target shapes and weight types
          --peer NAME=URL        also run every round through this OpenAI-compatible server, in the same interleaving
                                 (repeatable; e.g. llama-server=http://127.0.0.1:8080/v1); reported beside our modes;
                                 a peer runs as it was started (no speculative extension is sent to it)
          --native-lib PATH      load this llama.cpp build (a folder or libllama.so)
                                 instead of the bundled one; refused unless it is the commit LLamaSharp binds
          --row-cost [V]         time the managed work per probability row at a vocabulary of V tokens (default 152064)
          --mask-cost [DIR]      time grammar token masks per row over the forged BPE vocabularies (100,512 and
                                 200,001 tokens) in the states of a tool call; families are forged into DIR
          --list-presets         print the forge presets
          --soak --url URL ...   many clients for a set time, some disconnecting; see --soak --help
          --workload agent-turns --url URL ...
                                 multi-turn agent conversations with a long shared system prompt, more than the
                                 server's slots; prefix cache hit rate and prefill avoided (see --workload agent-turns --help)
          --combine-html OUT.html REPORT.json...
                                 one interactive page comparing several runs (e.g. families)
          --help                 this text
        """;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        var reader = new OptionReader(args);
        while (reader.MoveNext())
        {
            var name = reader.Name;
            options = name switch
            {
                "--preset" => options with { Preset = reader.Value() },
                "--models" => options with { ModelsDirectory = reader.Value() },
                "--url" => options with { Url = reader.Value().TrimEnd('/') },
                "--model" => options with { Model = reader.Value() },
                "--out" => options with { OutputDirectory = reader.Value() },
                "--modes" => options with { Modes = List(reader.Value(), ParseMode) },
                "--prompts" => options with { PromptSets = List(reader.Value(), Workloads.PromptSets.Check) },
                "--max-tokens" => options with { MaxTokens = reader.PositiveInt() },
                "--temperatures" => options with { Temperatures = List(reader.Value(), ParseTemperature) },
                "--concurrency" => options with { Concurrency = List(reader.Value(), ParsePositive) },
                "--rounds" => options with { Rounds = reader.PositiveInt() },
                "--draft-tokens" => options with { DraftTokens = reader.PositiveInt() },
                "--qualified-tokens" => options with { QualifiedTokens = reader.PositiveInt() },
                "--adaptive" => options with { Adaptive = true },
                "--ban-end" => options with { BanEndTokens = true },
                "--calibration-reps" => options with { CalibrationRepetitions = reader.PositiveInt() },
                "--seed" => options with { Seed = reader.PositiveInt() },
                "--threads" => options with { Threads = reader.PositiveInt() },
                "--sweep" => options with { Sweep = true },
                "--native-lib" => options with { NativeLibraryPath = reader.Value() },
                "--peer" => options with { Peers = [.. options.PeerList, ParsePeer(reader.Value())] },
                _ => throw new ArgumentException($"unknown option '{name}' (see --help)"),
            };
        }
        if (options.Adaptive && (options.DraftTokens is not null || options.QualifiedTokens is not null))
        {
            throw new ArgumentException("--adaptive and fixed --draft-tokens/--qualified-tokens exclude each other");
        }
        if (options.Url is not null && options.NativeLibraryPath is not null)
        {
            throw new ArgumentException("--native-lib applies to the in-process engine; a server given by --url loads its own");
        }
        return options;
    }

    private static IReadOnlyList<T> List<T>(string value, Func<string, T> parse) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToArray();

    private static (string Name, string Url) ParsePeer(string value) => value.Split('=', 2) is [var name, var url] && name.Length > 0 && Uri.IsWellFormedUriString(url, UriKind.Absolute)
        ? (name, url.TrimEnd('/')) : throw new ArgumentException($"--peer needs NAME=URL, got '{value}'");

    private static DecodingMode ParseMode(string name) => DecodingModeNames.TryParse(name, out var mode)
        ? mode : throw new ArgumentException($"unknown mode '{name}'; known: {DecodingModeNames.AllNames}");

    private static double ParseTemperature(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && t >= 0 && t <= 2
            ? t : throw new ArgumentException($"temperature '{text}' must be a number in 0..2");

    private static int ParsePositive(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 && v <= 64
            ? v : throw new ArgumentException($"concurrency '{text}' must be an integer in 1..64");
}
