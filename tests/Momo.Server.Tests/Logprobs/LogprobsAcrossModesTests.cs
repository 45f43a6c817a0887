using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Momo.Testing;
using Xunit.Abstractions;

namespace Momo.Server.Tests.Logprobs;

/// <summary>
/// A greedy request reports the same tokens and log-probabilities whichever mode decodes it: the values are the
/// target's own, read from the rows it computes while verifying, whichever tier proposed the token. Only rounding
/// differs, because the target reads a token in a batch of one (target alone) or of several (a verified tail), and
/// llama.cpp's logits depend on the batch shape (DESIGN.md section 5). Tokens after the target's first near-tie
/// (top-2 margin under <see cref="GreedyReference.Epsilon"/>) may legitimately differ and are not compared.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class LogprobsAcrossModesTests(ServerFixture fixture, ITestOutputHelper output)
{
    private const int MaxTokens = 24;
    private const int Alternatives = 5;

    /// <summary>
    /// How far a log-probability may move with the batch shape. DESIGN.md section 5 measured logits of the same tokens
    /// decoded one at a time and in one batch differing by up to 3e-3 for f32 64 wide (the tiny family's target is f32
    /// 256 wide); a log-probability is a logit minus the log-sum-exp of its row, so it moves by at most twice the
    /// largest logit change: 1e-2 leaves room for the wider rows, and stays far below any margin a greedy choice rests on
    /// (<see cref="GreedyReference.Epsilon"/> = 0.05).
    /// </summary>
    internal const double Tolerance = 1e-2;

    // name → the speculative field that picks the mode; target_only is the reference.
    private static readonly (string Name, object Speculative)[] Modes =
    [
        ("target_only", new { mode = "target_only" }),
        ("two_tier", new { mode = "two_tier", draft_tokens = 4 }),
        ("pyramid", new { mode = "pyramid", draft_tokens = 3, qualified_tokens = 6 }),
        ("auto", new { mode = "auto" }),
        ("lookup", new { mode = "target_only", lookup = true }),
    ];

    [Fact]
    public async Task Greedy_tokens_and_logprobs_are_the_same_in_every_mode()
    {
        // The prompts quote themselves, so prompt lookup finds continuations to propose.
        var prompts = TestFamilies.Prompts(16).Select(p => $"{p} {p} {p}").ToList();
        var maxDifference = 0.0;
        var compared = 0;
        var skipped = 0;
        var speculated = Modes.ToDictionary(m => m.Name, _ => (Proposed: 0, Rejected: 0));
        foreach (var prompt in prompts)
        {
            var reliable = GreedyReference.ForPrompt(prompt, MaxTokens).ReliableTokens;
            var reference = await CompleteAsync(prompt, Modes[0].Speculative);
            AssertGreedyTokenIsTheTopAlternative(reference);
            foreach (var (name, speculative) in Modes.Skip(1))
            {
                var run = await CompleteAsync(prompt, speculative);
                var count = Math.Min(reliable, Math.Min(reference.Tokens.Count, run.Tokens.Count));
                for (var i = 0; i < count; i++)
                {
                    maxDifference = Math.Max(maxDifference, Compare(reference, run, i, $"{name}, '{prompt}', token {i}"));
                }
                compared += count;
                skipped += Math.Max(reference.Tokens.Count, run.Tokens.Count) - count;
                var (proposed, rejected) = speculated[name];
                speculated[name] = (proposed + run.Proposed, rejected + run.Proposed - run.Accepted);
            }
        }
        output.WriteLine($"{compared} tokens compared across {Modes.Length - 1} modes against target_only over {prompts.Count} prompts; " +
            $"{skipped} after a near-tie not compared; largest logprob difference {maxDifference:E2} (tolerance {Tolerance:E0})");
        foreach (var (name, (proposed, rejected)) in speculated.Where(s => s.Key != "target_only"))
        {
            output.WriteLine($"{name}: {proposed} proposals verified by the target, {rejected} rejected");
            Assert.True(proposed > 0, $"{name} proposed nothing: the comparison would be trivial");
        }
        Assert.True(speculated["two_tier"].Rejected + speculated["pyramid"].Rejected > 0, "the target never rejected a proposal");
        Assert.True(compared >= 200, $"only {compared} tokens compared");
        Assert.True(skipped <= compared / 10, "too many near-ties: the forged family's margins are too small");
    }

    /// <summary>Greedy with no sampling transform picks the raw distribution's argmax: the first alternative, same value.</summary>
    private static void AssertGreedyTokenIsTheTopAlternative(Run run)
    {
        for (var i = 0; i < run.Tokens.Count; i++)
        {
            Assert.Equal(Alternatives, run.Top[i].Count);
            var best = run.Top[i].MaxBy(pair => pair.Value);
            Assert.Equal(run.Tokens[i], best.Key);
            Assert.Equal(run.Logprobs[i], best.Value);
        }
    }

    private static double Compare(Run reference, Run run, int i, string where)
    {
        Assert.True(reference.Tokens[i] == run.Tokens[i], $"{where}: '{run.Tokens[i]}' instead of '{reference.Tokens[i]}'");
        var largest = Math.Abs(reference.Logprobs[i] - run.Logprobs[i]);
        foreach (var (token, logprob) in reference.Top[i])
        {
            // An alternative near the bottom of the list may trade places with the next one under rounding.
            if (run.Top[i].TryGetValue(token, out var other))
            {
                largest = Math.Max(largest, Math.Abs(logprob - other));
            }
        }
        Assert.True(largest <= Tolerance, $"{where}: logprobs differ by {largest}");
        return largest;
    }

    private async Task<Run> CompleteAsync(string prompt, object speculative)
    {
        var body = JsonSerializer.Serialize(new { prompt, max_tokens = MaxTokens, temperature = 0, logprobs = Alternatives, speculative });
        using var response = await fixture.Server.Http.PostAsync("v1/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        var logprobs = json.GetProperty("choices")[0].GetProperty("logprobs");
        var statistics = json.GetProperty("speculative");
        return new Run(
            [.. logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!)],
            [.. logprobs.GetProperty("token_logprobs").EnumerateArray().Select(v => v.GetDouble())],
            [.. logprobs.GetProperty("top_logprobs").EnumerateArray().Select(d => d.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()))],
            statistics.GetProperty("target_proposed_tokens").GetInt32(),
            statistics.GetProperty("target_accepted_tokens").GetInt32());
    }

    private sealed record Run(List<string> Tokens, List<double> Logprobs, List<Dictionary<string, double>> Top, int Proposed, int Accepted);
}
