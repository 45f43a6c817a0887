using System.Text;
using Momo.Testing;

namespace Momo.Server.Tests;

/// <summary>A client that hangs up mid-stream while the decode gate holds its stream, still generating.</summary>
internal static class HeldStreams
{
    /// <summary>
    /// With <paramref name="gate"/> closed and the engine idle: starts a long streamed completion, lets the target verify
    /// its first token, reads the first chunk, runs <paramref name="whileConnected"/>, hangs up, and waits until the
    /// server has seen the client go. The gate stays closed, so the engine still holds the stream as running: it frees
    /// it as cancelled once the gate opens.
    /// </summary>
    public static async Task HangUpMidStreamAsync(ServerInstance server, DecodeGate gate, Action? whileConnected = null)
    {
        var abortedBefore = server.AbortedRequests;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "v1/completions"))
        {
            request.Content = new StringContent(
                $$$"""{"prompt":"Once upon a time","max_tokens":400,"stream":true,"logit_bias":{"{{{TestFamilies.EndOfTurnToken}}}":-100},"speculative":{"mode":"target_only"}}""",
                Encoding.UTF8, "application/json");
            // The server sends a stream's headers with its first update: let the target verify the first token.
            var verified = gate.PassedWithLogits;
            var sending = server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await gate.PassUntilAsync(() => gate.PassedWithLogits > verified, "the target has verified the stream's first token");
            using var response = await Eventually.CompletesAsync(sending, "the stream's headers arrive");
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.StartsWith("data: ", await Eventually.CompletesAsync(reader.ReadLineAsync(), "the stream's first chunk arrives"), StringComparison.Ordinal);
            whileConnected?.Invoke();
            // Leaving this block drops the connection mid-stream.
        }
        await Eventually.HoldsAsync(() => server.AbortedRequests > abortedBefore, "the server sees the client go");
    }
}
