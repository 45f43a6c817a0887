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
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?>
        {
            ["Momo:MaxSequences"] = "2",
            ["Momo:ContextSize"] = "32768",
        });
        var body = $$$"""{"prompt":"Once upon a time","max_tokens":30000,"stream":true,"logit_bias":{"{{{TestFamilies.EndOfTurnToken}}}":-100},"speculative":{"mode":"target_only"}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var stream = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await stream.ReadLineAsync(), StringComparison.Ordinal); // generating

        server.Services.GetRequiredService<RuntimeHolder>().StartDraining(TimeSpan.FromSeconds(2)); // what SIGTERM does

        using var refused = await server.Http.PostAsync("v1/completions", new StringContent("""{"prompt":"The dog","max_tokens":4}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("shutting_down", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var rest = await stream.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("\"error\"", rest, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]", rest.TrimEnd(), StringComparison.Ordinal);
    }
}
