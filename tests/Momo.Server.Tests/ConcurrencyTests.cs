using System.Net;
using System.Text;
using System.Text.Json;
using Momo.Testing;

namespace Momo.Server.Tests;

/// <summary>Many users at once, through HTTP, against real forged models: exact output, admission, memory pressure, prefix reuse.</summary>
public sealed class ConcurrencyTests
{
    private const int Tokens = 24;
    private const int LongTokens = 64;

    [Fact]
    public async Task Sixteen_concurrent_greedy_streams_each_produce_their_reference_text_in_every_mode()
    {
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?>
        {
            ["Momo:MaxSequences"] = "16",
            ["Momo:ContextSize"] = "256",
        });
        var prompts = TestFamilies.Prompts(16);
        var references = prompts.Select(p => GreedyReference.ForPrompt(p, Tokens)).ToList();
        foreach (var mode in new[] { "pyramid", "two_tier", "target_only" })
        {
            var outputs = await Task.WhenAll(prompts.Select(p => StreamAsync(server.Http, p, mode)));
            for (var i = 0; i < prompts.Count; i++)
            {
                references[i].AssertMatches(outputs[i], $"{mode} '{prompts[i]}'");
            }
        }
    }

    [Fact]
    public async Task Eight_concurrent_pyramid_requests_of_sixteen_qualified_tokens_in_batches_of_64_all_answer_their_text_alone()
    {
        // The reported abort: 8 × (γ₂ + 2) target rows exceed BatchTokens = 64, and llama.cpp asserted on n_batch.
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?>
        {
            ["Momo:MaxSequences"] = "8",
            ["Momo:BatchTokens"] = "64",
            ["Momo:ContextSize"] = "512",
        });
        var prompts = Enumerable.Range(0, 8).Select(i => $"The old man went to the mountain {i}").ToList();
        var speculative = new { mode = "pyramid", draft_tokens = 4, qualified_tokens = 16 };

        var results = await Task.WhenAll(prompts.Select(p => CompleteAsync(server.Http, p, speculative, LongTokens, banEnd: true)));

        for (var i = 0; i < prompts.Count; i++)
        {
            GreedyReference.ForPrompt(prompts[i], LongTokens, banEnd: true).AssertMatches(results[i].Text, prompts[i]);
        }
        Assert.Equal("Healthy", await server.Http.GetStringAsync("health"));
    }

    [Fact]
    public async Task A_full_queue_answers_429_with_retry_after_and_the_queued_requests_complete()
    {
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?>
        {
            ["Momo:MaxSequences"] = "1",
            ["Momo:MaxQueuedRequests"] = "1",
            ["Momo:ContextSize"] = "4096",
        });
        // Long enough that the first request is still running when the last one arrives.
        var body = $$$"""{"prompt":"Once upon a time","max_tokens":3000,"temperature":0,"logit_bias":{"{{{TestFamilies.EndOfTurnToken}}}":-100},"speculative":{"mode":"target_only"}}""";
        var running = server.Http.PostAsync("v1/completions", Json(body));
        // The first request holds the only sequence before the others arrive.
        await Eventually.HoldsAsync(() => server.Engine.Counters.Running == 1, "the first request runs");
        var others = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => server.Http.PostAsync("v1/completions", Json(body))));
        var responses = others.Append(await running).ToList();

        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        var served = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.Equal(4, refused.Count); // one running, one queued, the rest refused
        Assert.Equal(2, served.Count);
        foreach (var response in refused)
        {
            Assert.NotNull(response.Headers.RetryAfter);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("rate_limit_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        }
        foreach (var response in served)
        {
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.False(string.IsNullOrEmpty(answer.RootElement.GetProperty("choices")[0].GetProperty("text").GetString()));
        }
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_stream_is_freed_and_the_other_streams_finish()
    {
        // A long context, so the doomed stream is still generating when its client goes (the tiny models are fast).
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?>
        {
            ["Momo:MaxSequences"] = "2",
            ["Momo:ContextSize"] = "8192",
        });
        var reference = GreedyReference.ForPrompt("The old man went to the mountain", Tokens);
        var cancelledBefore = server.Engine.Counters.CancelledSequences;

        Task<string> survivor;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "v1/completions"))
        {
            request.Content = Json($$$"""{"prompt":"Once upon a time","max_tokens":8000,"stream":true,"logit_bias":{"{{{TestFamilies.EndOfTurnToken}}}":-100},"speculative":{"mode":"target_only"}}""");
            using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.StartsWith("data: ", await reader.ReadLineAsync(), StringComparison.Ordinal);
            survivor = StreamAsync(server.Http, "The old man went to the mountain", "pyramid");
            // Leaving this block drops the connection mid-stream.
        }
        reference.AssertMatches(await survivor, "survivor");

        await Eventually.HoldsAsync(() => server.Engine.Counters.CancelledSequences > cancelledBefore, "the engine frees the dropped stream");
        Assert.Equal(cancelledBefore + 1, server.Engine.Counters.CancelledSequences);
        Assert.Equal(0, server.Engine.Counters.Running);
    }

    [Fact]
    public async Task A_request_past_the_time_limit_answers_408_and_is_freed()
    {
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?>
        {
            ["Momo:MaxSequences"] = "1",
            ["Momo:ContextSize"] = "32768", // 32k tokens take several seconds even on the tiny models
            ["Momo:RequestTimeoutSeconds"] = "1",
        });
        var body = $$$"""{"prompt":"Once upon a time","max_tokens":32000,"logit_bias":{"{{{TestFamilies.EndOfTurnToken}}}":-100},"speculative":{"mode":"target_only"}}""";

        using var response = await server.Http.PostAsync("v1/completions", Json(body));

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("timeout_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        // The engine counts the release right after it answers.
        await Eventually.HoldsAsync(() => server.Engine.Counters.CancelledSequences > 0, "the engine frees the timed-out request");
        Assert.Equal(1, server.Engine.Counters.CancelledSequences);
        using var next = await server.Http.PostAsync("v1/completions", Json("""{"prompt":"The dog","max_tokens":4}"""));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Theory]
    [InlineData("Target", "preemptions")]
    [InlineData("Qualifier", "degradations")]
    [InlineData("Draft", "degradations")]
    public async Task Under_memory_pressure_every_request_completes_with_its_reference_output(string tier, string evidence)
    {
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?>
        {
            ["Momo:MaxSequences"] = "8",
            ["Momo:ContextSize"] = "256",
            // llama.cpp rounds a context up to 256 cells: room for about four of the eight requests at once.
            [$"Momo:{tier}:KvCells"] = "256",
        });
        var prompts = TestFamilies.Prompts(8);
        var results = await Task.WhenAll(prompts.Select(p => CompleteAsync(server.Http, p, "pyramid", LongTokens, banEnd: true)));

        for (var i = 0; i < prompts.Count; i++)
        {
            GreedyReference.ForPrompt(prompts[i], LongTokens, banEnd: true).AssertMatches(results[i].Text, prompts[i]);
        }
        var statistics = results.Select(r => r.Speculative).ToList();
        if (evidence == "preemptions")
        {
            Assert.Contains(statistics, s => s.GetProperty("preemptions").GetInt32() > 0);
        }
        else
        {
            Assert.Contains(statistics, s => s.GetProperty("degradations").GetArrayLength() > 0);
        }
    }

    [Fact]
    public async Task A_repeated_system_prompt_is_served_from_the_prefix_cache_with_the_same_output()
    {
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny);
        const string System = "You are the storyteller of the village. Tell the tale of the peach boy, the dog, the monkey and the pheasant.";
        var second = new[] { ("system", System), ("user", "What did the monkey say?") };

        await ChatAsync(server.Http, System, "Where did the old woman go?");
        var (text, cached) = await ChatAsync(server.Http, System, "What did the monkey say?");

        Assert.True(cached > 20, $"only {cached} prompt tokens came from the cache");
        GreedyReference.ForChat(second, Tokens).AssertMatches(text, "cached chat");
    }

    [Fact]
    public async Task A_new_chat_shares_the_system_prompt_kv_of_a_chat_still_running()
    {
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?>
        {
            ["Momo:MaxSequences"] = "2",
            ["Momo:ContextSize"] = "16384",
        });
        const string System = "You are the storyteller of the village. Tell the tale of the peach boy and his friends.";
        var second = new[] { ("system", System), ("user", "What did the dog say?") };
        using var stopLongChat = new CancellationTokenSource();
        var longChat = ChatAsync(server.Http, System, "Tell the whole tale.", maxTokens: 16000, banEnd: true, stopLongChat.Token);
        await Eventually.HoldsAsync(() => server.Engine.Counters.Running == 1, "the long chat runs");

        var (text, cached) = await ChatAsync(server.Http, System, "What did the dog say?");

        Assert.False(longChat.IsCompleted, "the long chat ended before the second arrived; the test proves nothing");
        Assert.True(cached > 20, $"only {cached} prompt tokens were shared");
        GreedyReference.ForChat(second, Tokens).AssertMatches(text, "chat sharing a running prefix");
        await stopLongChat.CancelAsync(); // the long chat has served its purpose; its client goes away
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => longChat);
    }

    private static async Task<(string Text, int Cached)> ChatAsync(
        HttpClient http, string system, string user, int maxTokens = Tokens, bool banEnd = false, CancellationToken cancellation = default)
    {
        var bias = banEnd ? new Dictionary<string, int> { [TestFamilies.EndOfTurnToken.ToString(System.Globalization.CultureInfo.InvariantCulture)] = -100 } : [];
        var body = JsonSerializer.Serialize(new
        {
            messages = new[] { new { role = "system", content = system }, new { role = "user", content = user } },
            max_tokens = maxTokens,
            temperature = 0,
            logit_bias = bias,
            speculative = new { mode = "target_only" },
        });
        using var response = await http.PostAsync("v1/chat/completions", Json(body), cancellation);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellation));
        var root = json.RootElement;
        return (root.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!,
            root.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    private static Task<(string Text, JsonElement Speculative)> CompleteAsync(HttpClient http, string prompt, string mode, int tokens, bool banEnd) =>
        CompleteAsync(http, prompt, new { mode }, tokens, banEnd);

    private static async Task<(string Text, JsonElement Speculative)> CompleteAsync(HttpClient http, string prompt, object speculative, int tokens, bool banEnd)
    {
        var bias = banEnd ? new Dictionary<string, int> { [TestFamilies.EndOfTurnToken.ToString(System.Globalization.CultureInfo.InvariantCulture)] = -100 } : [];
        var body = JsonSerializer.Serialize(new { prompt, max_tokens = tokens, temperature = 0, logit_bias = bias, speculative });
        using var response = await http.PostAsync("v1/completions", Json(body));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (json.RootElement.GetProperty("choices")[0].GetProperty("text").GetString()!, json.RootElement.GetProperty("speculative").Clone());
    }

    private static async Task<string> StreamAsync(HttpClient http, string prompt, string mode)
    {
        var body = JsonSerializer.Serialize(new { prompt, max_tokens = Tokens, temperature = 0, stream = true, speculative = new { mode } });
        using var response = await http.PostAsync("v1/completions", Json(body));
        response.EnsureSuccessStatusCode();
        var text = new StringBuilder();
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
        {
            if (line.StartsWith("data: {", StringComparison.Ordinal))
            {
                using var chunk = JsonDocument.Parse(line["data: ".Length..]);
                foreach (var choice in chunk.RootElement.GetProperty("choices").EnumerateArray())
                {
                    text.Append(choice.GetProperty("text").GetString());
                }
            }
        }
        return text.ToString();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
