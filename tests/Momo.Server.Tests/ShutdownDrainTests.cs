using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Momo.Server.Hosting;
using Momo.Testing;

namespace Momo.Server.Tests;

/// <summary>On SIGTERM the server refuses new work, lets running streams drain, then ends the rest with a final event.</summary>
public sealed class ShutdownDrainTests
{
    [Fact]
    public async Task While_draining_new_requests_get_503_and_a_stream_still_running_ends_with_an_error_event_and_done()
    {
        using var gate = new DecodeGate(open: false);
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?>
        {
            ["Momo:MaxSequences"] = "2",
        }, gate);
        var body = $$$"""{"prompt":"Once upon a time","max_tokens":400,"stream":true,"logit_bias":{"{{{TestFamilies.EndOfTurnToken}}}":-100},"speculative":{"mode":"target_only"}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        // The server answers a stream's headers with its first update: let the target verify the first token.
        var sending = server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await gate.PassUntilAsync(() => gate.PassedWithLogits >= 1, "the target has verified the stream's first token");
        using var response = await Eventually.CompletesAsync(sending, "the stream's headers arrive");
        using var stream = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await Eventually.CompletesAsync(stream.ReadLineAsync(), "the stream's first chunk arrives"), StringComparison.Ordinal); // generating

        // What SIGTERM does. The gate holds the stream, so it is still running when the grace ends and the engine stops
        // (stopping the engine opens the gate).
        server.Services.GetRequiredService<RuntimeHolder>().StartDraining(TimeSpan.FromSeconds(2));

        using var refused = await server.Http.PostAsync("v1/completions", new StringContent("""{"prompt":"The dog","max_tokens":4}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("shutting_down", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var rest = await Eventually.CompletesAsync(stream.ReadToEndAsync(), "the stream ends");
        Assert.Contains("\"error\"", rest, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]", rest.TrimEnd(), StringComparison.Ordinal);
    }
}
