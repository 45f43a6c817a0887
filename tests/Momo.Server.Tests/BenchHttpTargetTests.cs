using Momo.Bench.Targets;
using Momo.Engine.Requests;

namespace Momo.Server.Tests;

/// <summary>The benchmark's HTTP target drives a real server the way it would drive llama-server or vLLM.</summary>
[Collection(ServerCollection.Name)]
public sealed class BenchHttpTargetTests(ServerFixture fixture)
{
    [Theory]
    [InlineData("chat", DecodingMode.Pyramid)]
    [InlineData("story", DecodingMode.TwoTier)]
    [InlineData("code", DecodingMode.TargetOnly)]
    public async Task A_streamed_request_is_timed_and_its_speculation_counts_are_read(string set, DecodingMode mode)
    {
        using var target = new HttpTarget(new Uri(fixture.Server.Address, "v1").ToString(), ServerInstance.ModelId);

        var result = await target.RunAsync(new BenchRequest(set, "The old man went to the mountain", mode, 0, 1, 16, 2, 4), 0, CancellationToken.None);

        Assert.InRange(result.CompletionTokens, 1, 16);
        Assert.False(string.IsNullOrEmpty(result.Text));
        Assert.True(result.FirstToken > 0 && result.LastToken >= result.FirstToken);
        Assert.NotNull(result.Statistics);
        Assert.Equal(mode.ToApiName(), result.Statistics.Mode);
        Assert.True(result.Statistics.TargetCalls > 0);
    }

    [Fact]
    public async Task A_peer_runs_in_the_server_s_own_default_mode_whatever_the_cell_it_shares()
    {
        using var peer = new HttpTarget(new Uri(fixture.Server.Address, "v1").ToString(), ServerInstance.ModelId, choosesMode: false);

        var result = await peer.RunAsync(new BenchRequest("story", "The old man went to the mountain", DecodingMode.TargetOnly, 0, 1, 16, 2, 4), 0, CancellationToken.None);

        Assert.NotNull(result.Statistics);
        Assert.Equal(DecodingMode.Auto.ToApiName(), result.Statistics.Mode); // the server's default, not the cell's target_only
    }

    [Fact]
    public async Task Banned_end_tokens_make_every_answer_run_to_its_token_limit()
    {
        using var target = new HttpTarget(new Uri(fixture.Server.Address, "v1").ToString(), ServerInstance.ModelId);
        var request = new BenchRequest("chat", "Tell me about the old man.", DecodingMode.TargetOnly, 0, 1, 48, null, null);

        var free = await target.RunAsync(request, 0, CancellationToken.None);
        var banned = await target.RunAsync(request with { BannedTokens = [Momo.Forge.ForgeVocabulary.Eos, Momo.Forge.ForgeVocabulary.ImEnd] }, 0, CancellationToken.None);

        Assert.True(free.CompletionTokens < 48, $"the tiny family answered {free.CompletionTokens} tokens without a ban; the test needs an early end");
        Assert.Equal(48, banned.CompletionTokens);
    }
}
