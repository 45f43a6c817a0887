using Momo.Bench.CommandLine;

namespace Momo.Bench.AgentTurns;

/// <summary>What <c>momo-bench --workload agent-turns</c> runs (see <see cref="Help"/>).</summary>
internal sealed record AgentTurnsOptions(
    string Url,
    string Model = "momo-pyramid",
    string? ApiKey = null,
    int Conversations = 6,
    int Turns = 4,
    int Agents = 2,
    int SystemWords = 12_000,
    int MaxTokens = 32,
    int Concurrency = 1,
    string Mode = "auto",
    string OutputDirectory = "bench-out")
{
    /// <summary>The usage text.</summary>
    public const string Help = """
        momo-bench --workload agent-turns: agent conversations that resend one long system prompt every turn, more of
        them than the server has slots, interleaved; reports how much of each prompt the server's prefix cache served
        (usage.prompt_tokens_details.cached_tokens) and the prefill tokens it avoided.

        usage: dotnet run -c Release --project src/Momo.Bench -- --workload agent-turns --url URL [options]

          --url URL              the server's OpenAI base URL, e.g. http://127.0.0.1:8080/v1 (required)
          --model ID             model id (default momo-pyramid)
          --api-key KEY          sent as Authorization: Bearer KEY (default: env MOMO_API_KEY, else none)
          --conversations N      conversations (default 6); conversation c uses agent c mod A's system prompt
          --turns M              turns per conversation (default 4); each adds the last answer and a user message
          --agents A             distinct system prompts (default 2): the others are subagents sharing one
          --system-words W       words per system prompt, from the shipped prompt sets (default 12000)
          --max-tokens N         completion tokens per turn (default 32)
          --concurrency C        turns in flight at once, each from a different conversation (default 1)
          --mode MODE            speculative mode sent with each request (default auto)
          --out DIR              where agent-turns.json goes (default bench-out)
        """;

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static AgentTurnsOptions Parse(IReadOnlyList<string> args)
    {
        string? url = null;
        var options = new AgentTurnsOptions("") { ApiKey = Environment.GetEnvironmentVariable("MOMO_API_KEY") };
        var reader = new OptionReader(args);
        while (reader.MoveNext())
        {
            var name = reader.Name;
            options = name switch
            {
                "--workload" => reader.Value() == "agent-turns" ? options : throw new ArgumentException("--workload knows only agent-turns"),
                "--url" => options with { Url = url = reader.Value().TrimEnd('/') },
                "--model" => options with { Model = reader.Value() },
                "--api-key" => options with { ApiKey = reader.Value() },
                "--conversations" => options with { Conversations = reader.PositiveInt() },
                "--turns" => options with { Turns = reader.PositiveInt() },
                "--agents" => options with { Agents = reader.PositiveInt() },
                "--system-words" => options with { SystemWords = reader.PositiveInt() },
                "--max-tokens" => options with { MaxTokens = reader.PositiveInt() },
                "--concurrency" => options with { Concurrency = reader.PositiveInt() },
                "--mode" => options with { Mode = reader.Value() },
                "--out" => options with { OutputDirectory = reader.Value() },
                _ => throw new ArgumentException($"unknown option '{name}' (see --workload agent-turns --help)"),
            };
        }
        return url is null ? throw new ArgumentException("--workload agent-turns needs --url") : options;
    }
}
