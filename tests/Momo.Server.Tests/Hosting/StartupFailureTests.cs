using Momo.Testing;

namespace Momo.Server.Tests.Hosting;

/// <summary>A server that cannot serve its models fails start-up the way a supervisor (systemd, Kubernetes) can read.</summary>
public sealed class StartupFailureTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("momo-bad-model-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task A_malformed_model_file_stops_the_server_with_a_non_zero_exit_code_and_one_line_naming_the_file()
    {
        var garbage = Path.Combine(_work.FullName, "target.gguf");
        await File.WriteAllBytesAsync(garbage, [.. "GGUF"u8, .. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 % 251))]);

        await using var server = ServerProcess.Start(new Dictionary<string, string> { ["Momo__Target__Path"] = garbage });
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.True(exitCode != 0, "the server exited 0 after failing to load its models:\n" + server.Log);
        var failure = Assert.Single(server.Lines, line => line.Contains("Loading the models failed", StringComparison.Ordinal));
        Assert.Contains("not a servable GGUF file", failure, StringComparison.Ordinal);
        Assert.Contains(garbage, failure, StringComparison.Ordinal);
        // A refused file is the operator's to fix: no stack trace, whose frames would bury the reason.
        Assert.DoesNotContain(server.Lines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Lines, line => line.Contains("Exception", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Momo__ContextSize", "abc", "'abc' at 'Momo:ContextSize'")]
    [InlineData("Momo__DefaultMode", "fastest", "Momo:DefaultMode must be one of")]
    [InlineData("Momo__Limits__MaxMessages", "many", "'many' at 'Momo:Limits:MaxMessages'")]
    public async Task A_bad_setting_stops_the_server_with_a_non_zero_exit_code_and_one_line_naming_it(string variable, string value, string named)
    {
        await using var server = ServerProcess.Start(TestFamilies.Tiny, new Dictionary<string, string> { [variable] = value });
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.True(exitCode != 0, $"the server exited 0 with {variable}={value}:\n" + server.Log);
        var refusal = Assert.Single(server.Lines, line => line.Contains("Invalid configuration", StringComparison.Ordinal));
        Assert.Contains(named, refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Lines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Lines, line => line.Contains("Exception", StringComparison.Ordinal));
    }
}
