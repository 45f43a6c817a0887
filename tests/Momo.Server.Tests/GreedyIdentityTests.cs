using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Momo.Testing;
using Xunit.Abstractions;

namespace Momo.Server.Tests;

/// <summary>
/// Greedy output through the real server is token-identical to the target decoding alone, in every mode and for
/// several draft lengths. The reference is an independent greedy loop over the target model (<see cref="GreedyReference"/>);
/// after a near-tie of the target's two best logits the comparison stops, and the skipped tokens are reported.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class GreedyIdentityTests(ServerFixture fixture, ITestOutputHelper output)
{
    private const int MaxTokens = 32;

    public static TheoryData<string, int, int> Settings => new()
    {
        { "two_tier", 2, 0 },
        { "two_tier", 5, 0 },
        { "pyramid", 1, 3 },
        { "pyramid", 3, 6 },
        { "pyramid", 4, 12 },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task Greedy_output_equals_the_target_alone_for_thirty_prompts(string mode, int draftTokens, int qualifiedTokens)
    {
        var prompts = TestFamilies.Prompts(30);
        var compared = 0;
        var rejected = 0;
        foreach (var prompt in prompts)
        {
            var reference = GreedyReference.ForPrompt(prompt, MaxTokens);
            var speculative = qualifiedTokens > 0
                ? new { mode, draft_tokens = draftTokens, qualified_tokens = qualifiedTokens }
                : (object)new { mode, draft_tokens = draftTokens };
            var (text, statistics) = await CompleteAsync(prompt, speculative);
            reference.AssertMatches(text, prompt);
            compared += reference.ReliableTokens;
            rejected += statistics.GetProperty("target_proposed_tokens").GetInt32() - statistics.GetProperty("target_accepted_tokens").GetInt32();
        }
        output.WriteLine($"{mode} γ=({draftTokens},{qualifiedTokens}): {compared} tokens compared over {prompts.Count} prompts; " +
            $"{(prompts.Count * MaxTokens) - compared} tokens after a top-2 margin under {GreedyReference.Epsilon} not compared; " +
            $"{rejected} proposals rejected by the target");
        Assert.True(rejected > 0, "the target never rejected a proposal: the identity would be trivial");
        Assert.True(compared >= prompts.Count * MaxTokens * 9 / 10, "too many near-ties: the forged family's margins are too small");
    }

    [Fact]
    public async Task Auto_with_prompt_lookup_gives_the_target_alone_output_and_reports_the_lookup()
    {
        var prompts = TestFamilies.Prompts(10);
        var lookupProposed = 0;
        foreach (var prompt in prompts)
        {
            // The prompt quotes itself, so the continuation often repeats what came before: lookup proposes it.
            var quoting = $"{prompt} {prompt} {prompt}";
            var (text, statistics) = await CompleteAsync(quoting, new { mode = "auto" });
            GreedyReference.ForPrompt(quoting, MaxTokens).AssertMatches(text, quoting);
            Assert.Equal("auto", statistics.GetProperty("mode").GetString());
            lookupProposed += statistics.GetProperty("lookup_proposed_tokens").GetInt32();
        }
        Assert.True(lookupProposed > 0, "lookup never proposed anything on self-quoting prompts");
    }

    private async Task<(string Text, JsonElement Statistics)> CompleteAsync(string prompt, object speculative)
    {
        var body = JsonSerializer.Serialize(new { prompt, max_tokens = MaxTokens, temperature = 0, speculative });
        using var response = await fixture.Server.Http.PostAsync("v1/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.GetProperty("choices")[0].GetProperty("text").GetString()!, json.GetProperty("speculative"));
    }
}
