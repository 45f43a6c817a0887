using Momo.Bench.Soak;

namespace Momo.Bench.Tests;

public sealed class SoakOptionsTests
{
    [Fact]
    public void Soak_options_parse_and_default_to_32_clients_and_a_fifth_disconnecting()
    {
        var options = SoakOptions.Parse(["--soak", "--url", "http://127.0.0.1:9/v1/", "--duration", "5"]);

        Assert.Equal("http://127.0.0.1:9/v1", options.Url);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RunFor);
        Assert.Equal(32, options.Clients);
        Assert.Equal(0.2, options.DisconnectFraction);
        Assert.Null(options.Requests);
    }

    [Fact]
    public void A_soak_can_be_bounded_by_a_count_of_requests_instead_of_a_duration() =>
        Assert.Equal(96, SoakOptions.Parse(["--soak", "--url", "http://127.0.0.1:9/v1", "--requests", "96"]).Requests);

    [Theory]
    [InlineData("--soak")]
    [InlineData("--soak --url http://x/v1 --disconnect 1.5")]
    [InlineData("--soak --url http://x/v1 --clients 0")]
    [InlineData("--soak --url http://x/v1 --requests 0")]
    [InlineData("--soak --url http://x/v1 --bogus")]
    public void Bad_soak_options_are_refused_naming_the_option(string line) =>
        Assert.Throws<ArgumentException>(() => SoakOptions.Parse(line.Split(' ')));

    [Fact]
    public void The_printed_command_never_holds_the_api_key() =>
        Assert.Equal("--soak --api-key *** --clients 4", SoakCommand.Redacted(["--soak", "--api-key", "sk-secret", "--clients", "4"]));
}
