using System.Net;
using System.Text;
using Momo.Testing;

namespace Momo.Server.Tests;

/// <summary>
/// A stream whose engine has nothing new to send (here the decode gate holds its prefill, as a long prompt would)
/// keeps the connection alive every Momo:StreamKeepAliveSeconds: Anthropic's <c>ping</c> event on /v1/messages, an SSE
/// comment on the OpenAI routes, which clients skip. Claude Code abandons a stream that is silent for five minutes.
/// </summary>
public sealed class StreamKeepAliveTests
{
    private static readonly Dictionary<string, string?> OneSecond = new() { ["Momo:StreamKeepAliveSeconds"] = "1" };

    [Fact]
    public async Task A_messages_stream_held_before_its_first_token_sends_pings_then_its_answer()
    {
        using var gate = new DecodeGate(open: false);
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, OneSecond, gate);
        var body = $$"""{"model":"{{ServerInstance.ModelId}}","max_tokens":8,"temperature":0,"stream":true,"messages":[{"role":"user","content":"Once upon a time"}]}""";

        var lines = await HeldStreamAsync(server, gate, "v1/messages", body, "event: ping", 3);

        var events = lines.Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l["event: ".Length..]).ToList();
        Assert.Equal(["message_start", "ping", "ping", "ping"], events[..4]);
        Assert.Equal("message_stop", events[^1]);
        Assert.Contains("content_block_delta", events);
    }

    [Fact]
    public async Task A_chat_stream_held_before_its_first_token_sends_comments_that_leave_its_chunks_intact()
    {
        using var gate = new DecodeGate(open: false);
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, OneSecond, gate);
        var body = $$"""{"model":"{{ServerInstance.ModelId}}","max_tokens":8,"temperature":0,"stream":true,"messages":[{"role":"user","content":"Once upon a time"}]}""";

        var lines = await HeldStreamAsync(server, gate, "v1/chat/completions", body, ": keep-alive", 2);

        Assert.True(lines.Count(l => l == ": keep-alive") >= 2, string.Join('\n', lines));
        Assert.All(lines.Where(l => l.Length > 0 && l[0] != ':'), l => Assert.StartsWith("data: ", l, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", lines.Last(l => l.Length > 0));
    }

    // Posts a stream while the gate holds every decode, reads until `count` lines equal to `marker` have come, opens
    // the gate and reads the rest: every line of the stream.
    private static async Task<List<string>> HeldStreamAsync(ServerInstance server, DecodeGate gate, string path, string body, string marker, int count)
    {
        var passed = gate.PassedWithLogits;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await Eventually.CompletesAsync(server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead), "the stream's headers arrive");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<string>();
        while (lines.Count(l => l == marker) < count)
        {
            lines.Add(await Eventually.CompletesAsync(reader.ReadLineAsync(), $"line {lines.Count + 1} of the held stream arrives") ?? throw new InvalidOperationException("the stream ended while held"));
        }
        Assert.Equal(passed, gate.PassedWithLogits); // nothing was decoded: the keep-alives came while the gate held the prefill
        gate.Open();
        while (await Eventually.CompletesAsync(reader.ReadLineAsync(), "the rest of the stream arrives") is { } line)
        {
            lines.Add(line);
        }
        return lines;
    }
}
