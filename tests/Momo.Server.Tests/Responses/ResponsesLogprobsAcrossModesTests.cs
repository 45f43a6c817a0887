using System.Net;
using System.Text.Json;
using Momo.Testing;
using Xunit.Abstractions;

namespace Momo.Server.Tests.Responses;

/// <summary>
/// A greedy response reports the same tokens and log-probabilities whichever mode decodes it, as chat completions and
/// completions do (<see cref="Logprobs.LogprobsAcrossModesTests"/> explains the tolerance: batch-shape rounding only).
/// Tokens after the target's first near-tie may legitimately differ and are not compared.
/// </summary>
[Collection(ResponsesServerCollection.Name)]
public sealed class ResponsesLogprobsAcrossModesTests(ResponsesServerFixture fixture, ITestOutputHelper output)
{
    private const int MaxTokens = 24;
    private const double Tolerance = Logprobs.LogprobsAcrossModesTests.Tolerance;

    private static readonly (string Name, string Speculative)[] Modes =
    [
        ("target_only", """{"mode":"target_only"}"""),
        ("two_tier", """{"mode":"two_tier","draft_tokens":4}"""),
        ("pyramid", """{"mode":"pyramid","draft_tokens":3,"qualified_tokens":6}"""),
        ("auto", """{"mode":"auto"}"""),
    ];

    [Fact]
    public async Task Greedy_response_logprobs_are_the_same_in_target_only_two_tier_pyramid_and_auto()
    {
        var compared = 0;
        var largest = 0.0;
        var proposed = Modes.ToDictionary(m => m.Name, _ => 0);
        // The prompts quote themselves, so auto's prompt lookup finds continuations to propose.
        foreach (var prompt in TestFamilies.Prompts(8).Select(p => $"{p} {p} {p}"))
        {
            var reliable = GreedyReference.ForChat([("user", prompt)], MaxTokens).ReliableTokens;
            var (reference, _) = await RespondAsync(prompt, Modes[0].Speculative);
            foreach (var (name, speculative) in Modes.Skip(1))
            {
                var (run, targetProposed) = await RespondAsync(prompt, speculative);
                proposed[name] += targetProposed;
                var count = Math.Min(reliable, Math.Min(reference.Count, run.Count));
                for (var i = 0; i < count; i++)
                {
                    var where = $"{name}, '{prompt}', token {i}";
                    Assert.True(reference[i].Token == run[i].Token, $"{where}: '{run[i].Token}' instead of '{reference[i].Token}'");
                    var difference = Math.Abs(reference[i].Logprob - run[i].Logprob);
                    Assert.True(difference <= Tolerance, $"{where}: {run[i].Logprob} vs {reference[i].Logprob}");
                    largest = Math.Max(largest, difference);
                }
                compared += count;
            }
        }
        output.WriteLine($"{compared} tokens compared; largest difference {largest:E2}; target proposals " +
            string.Join(", ", proposed.Skip(1).Select(p => $"{p.Key} {p.Value}")));
        Assert.True(compared >= 50, $"only {compared} tokens compared");
        Assert.All(Modes.Skip(1), m => Assert.True(proposed[m.Name] > 0, $"{m.Name} proposed nothing: the comparison would be trivial"));
    }

    private async Task<(List<(string Token, double Logprob)> Entries, int TargetProposed)> RespondAsync(string prompt, string speculative)
    {
        var request = $$"""{"input":{{JsonSerializer.Serialize(prompt)}},"max_output_tokens":{{MaxTokens}},"temperature":0,"include":["message.output_text.logprobs"],"top_logprobs":1,"speculative":{{speculative}}}""";
        var (status, body) = await fixture.PostAsync(request);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var entries = body.GetProperty("output").EnumerateArray()
            .SelectMany(m => m.GetProperty("content").EnumerateArray())
            .SelectMany(p => p.GetProperty("logprobs").EnumerateArray())
            .Select(e => (ResponsesLogprobsTests.Token(e), e.GetProperty("logprob").GetDouble())).ToList();
        return (entries, body.GetProperty("speculative").GetProperty("target_proposed_tokens").GetInt32());
    }
}
