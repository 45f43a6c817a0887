using Momo.Bench.AgentTurns;

namespace Momo.Bench.Tests;

/// <summary>The agent-turns workload's options and summary.</summary>
public sealed class AgentTurnsOptionsTests
{
    [Fact]
    public void The_options_are_parsed_and_a_missing_url_is_refused()
    {
        var options = AgentTurnsOptions.Parse(["--workload", "agent-turns", "--url", "http://h:1/v1/", "--conversations", "9", "--agents", "3"]);

        Assert.Equal("http://h:1/v1", options.Url);
        Assert.Equal(9, options.Conversations);
        Assert.Equal(3, options.Agents);
        Assert.Throws<ArgumentException>(() => AgentTurnsOptions.Parse(["--workload", "agent-turns"]));
        Assert.Throws<ArgumentException>(() => AgentTurnsOptions.Parse(["--workload", "other", "--url", "http://h:1/v1"]));
    }

    [Fact]
    public void The_hit_rate_after_first_turns_leaves_out_each_conversations_first_turn()
    {
        var summary = AgentTurnsSummary.Of(
        [
            new AgentTurnResult(0, 0, 1000, 0, 5, 6),
            new AgentTurnResult(1, 0, 1000, 990, 0.1, 1),
            new AgentTurnResult(0, 1, 1100, 1050, 0.2, 1),
            new AgentTurnResult(1, 1, 1100, 1050, 0.4, 1),
        ]);

        Assert.Equal(4200, summary.PromptTokens);
        Assert.Equal(3090, summary.CachedTokens);
        Assert.Equal(1110, summary.PrefilledTokens);
        Assert.Equal(2100.0 / 2200, summary.LaterTurnsHitRate, 9);
    }
}
