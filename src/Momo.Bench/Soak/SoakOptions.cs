using System.Globalization;
using Momo.Bench.CommandLine;

namespace Momo.Bench.Soak;

/// <summary>What a soak runs, parsed from <c>momo-bench --soak ...</c> (see <see cref="Help"/>).</summary>
internal sealed record SoakOptions(
    string Url,
    string Model = "momo-pyramid",
    string? ApiKey = null,
    TimeSpan? Duration = null,
    int Clients = 32,
    double DisconnectFraction = 0.2,
    int MaxTokens = 32,
    int Seed = 42,
    string OutputDirectory = "bench-out",
    int? Requests = null)
{
    /// <summary>How long clients keep sending (default 60 s), unless <see cref="Requests"/> bounds the soak instead.</summary>
    public TimeSpan RunFor => Duration ?? TimeSpan.FromSeconds(60);

    /// <summary>The usage text.</summary>
    public const string Help = """
        momo-bench --soak: many clients on one server for a set time, some hanging up mid-stream; then what is left.

        usage: dotnet run -c Release --project src/Momo.Bench -- --soak --url URL [options]

          --url URL              the server's OpenAI base URL, e.g. http://127.0.0.1:8080/v1 (required)
          --model ID             model id (default momo-pyramid)
          --api-key KEY          sent as Authorization: Bearer KEY (default: env MOMO_API_KEY, else none)
          --duration SECONDS     how long clients send (default 60)
          --requests N           send N requests in all, then stop (instead of a duration)
          --clients N            concurrent clients (default 32)
          --disconnect FRACTION  share of requests streamed and dropped after the first chunk (default 0.2)
          --max-tokens N         most completion tokens per request; each asks 1..N (default 32)
          --seed N               seed of the random modes, parameters and prompts (default 42)
          --out DIR              where soak.json goes (default bench-out)
        """;

    /// <summary>Parses the arguments after <c>--soak</c>; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static SoakOptions Parse(IReadOnlyList<string> args)
    {
        string? url = null;
        var options = new SoakOptions("") { ApiKey = Environment.GetEnvironmentVariable("MOMO_API_KEY") };
        var reader = new OptionReader(args);
        while (reader.MoveNext())
        {
            var name = reader.Name;
            switch (name)
            {
                case "--soak": break;
                case "--url": url = reader.Value().TrimEnd('/'); break;
                case "--model": options = options with { Model = reader.Value() }; break;
                case "--api-key": options = options with { ApiKey = reader.Value() }; break;
                case "--duration": options = options with { Duration = TimeSpan.FromSeconds(reader.PositiveInt()) }; break;
                case "--requests": options = options with { Requests = reader.PositiveInt() }; break;
                case "--clients": options = options with { Clients = reader.PositiveInt() }; break;
                case "--disconnect":
                    options = options with
                    {
                        DisconnectFraction = double.TryParse(reader.Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f is >= 0 and <= 1
                            ? f : throw new ArgumentException("--disconnect needs a fraction in 0..1"),
                    };
                    break;
                case "--max-tokens": options = options with { MaxTokens = reader.PositiveInt() }; break;
                case "--seed": options = options with { Seed = reader.PositiveInt() }; break;
                case "--out": options = options with { OutputDirectory = reader.Value() }; break;
                default: throw new ArgumentException($"unknown soak option '{name}' (see --soak --help)");
            }
        }
        return options with { Url = url ?? throw new ArgumentException("--soak needs --url (a running server)") };
    }
}
