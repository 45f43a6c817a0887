using Momo.Bench.Measurement;
using Momo.Engine.Requests;

namespace Momo.Bench.Tests;

/// <summary>Peers (other OpenAI-compatible servers) run in the same interleaving as our modes.</summary>
public sealed class PeerTests
{
    [Fact]
    public void Every_round_runs_our_modes_then_each_peer_on_the_same_cell()
    {
        var order = Schedule.Interleaved(2, [0.0], [1], [DecodingMode.Auto, DecodingMode.TargetOnly], ["llama-server", "llama-server-md"]);

        Assert.Equal(
            ["auto", "target_only", "peer:llama-server", "peer:llama-server-md", "auto", "target_only", "peer:llama-server", "peer:llama-server-md"],
            order.Select(b => b.Cell.Label));
    }

    [Fact]
    public void Peers_are_parsed_as_name_equals_url_and_a_malformed_one_is_refused()
    {
        var options = BenchOptions.Parse(["--peer", "llama-server=http://127.0.0.1:8080/v1/", "--peer", "md=http://127.0.0.1:8081/v1"]);

        Assert.Equal([("llama-server", "http://127.0.0.1:8080/v1"), ("md", "http://127.0.0.1:8081/v1")], options.PeerList);
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--peer", "no-url"]));
    }

    [Fact]
    public void Banning_the_end_tokens_is_off_unless_asked()
    {
        Assert.False(BenchOptions.Parse([]).BanEndTokens);
        Assert.True(BenchOptions.Parse(["--ban-end"]).BanEndTokens);
    }
}
