using System.Globalization;
using Momo.Engine.Requests;

namespace Momo.Engine.Tests.Engine;

/// <summary>
/// Agent-like traffic for the fake tiers: several conversations, each a long system prompt (shared or its own) and
/// turns that append the previous answer and a new user message, run one turn at a time in round-robin order.
/// </summary>
internal static class AgentConversations
{
    /// <summary>
    /// One turn's result: its prompt, the length of the conversation before this turn's user message (the last turn's
    /// prompt and answer), how much of the prompt came from cache, what it generated.
    /// </summary>
    public sealed record Turn(int Conversation, int Index, int[] Prompt, int Earlier, int Cached, string Text)
    {
        /// <summary>
        /// What a cache should hold of the earlier turns: all of them but the answer's last token, which no tier ever
        /// decoded (a sequence ends as soon as it is sampled).
        /// </summary>
        public int Cacheable => Math.Max(0, Earlier - 1);
    }

    /// <summary>A system prompt of <paramref name="length"/> tokens, different for each <paramref name="seed"/>.</summary>
    public static int[] SystemPrompt(int seed, int length)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => random.Next(2, EngineHarness.Vocabulary)).ToArray();
    }

    /// <summary>Runs <paramref name="turns"/> turns of each conversation (the system prompts given), interleaved.</summary>
    public static async Task<List<Turn>> RunAsync(EngineHarness harness, IReadOnlyList<int[]> systems, int turns, DecodingMode mode)
    {
        var histories = systems.Select(s => s.ToList()).ToArray();
        var results = new List<Turn>();
        for (var turn = 0; turn < turns; turn++)
        {
            for (var c = 0; c < systems.Count; c++)
            {
                var previous = turn == 0 ? 0 : histories[c].Count;
                histories[c].AddRange(SystemPrompt(1000 + (c * 31) + turn, 5)); // the user's message
                var prompt = histories[c].ToArray();
                var (text, last) = await harness.RunAsync(EngineHarness.Request(prompt, mode, maxTokens: 12));
                results.Add(new Turn(c, turn, prompt, previous, last.Statistics!.CachedPromptTokens, text));
                histories[c].AddRange(Tokens(text)); // the assistant's answer, as the next turn's prompt carries it
            }
        }
        return results;
    }

    /// <summary>The fake vocabulary's text back to token ids ("t5 t7 " is 5, 7).</summary>
    public static IEnumerable<int> Tokens(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(piece => int.Parse(piece[1..], CultureInfo.InvariantCulture));
}
