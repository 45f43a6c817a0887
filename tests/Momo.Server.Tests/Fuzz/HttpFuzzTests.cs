using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Momo.Testing;
using Xunit.Abstractions;

namespace Momo.Server.Tests.Fuzz;

/// <summary>
/// Thousands of hostile requests against every route of a live server: never a 5xx, every /v1 error in OpenAI's
/// shape, every success complete, and afterwards the server healthy with no request running or waiting and no KV
/// cell held.
/// </summary>
public sealed class HttpFuzzTests(ITestOutputHelper output)
{
    private const int Requests = 6_000;
    private const int Clients = 8;
    private const int Seed = 1313;

    [Fact]
    public async Task Six_thousand_hostile_requests_never_get_a_5xx_or_a_malformed_error_and_leave_nothing_held()
    {
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?>
        {
            // Small context: a fuzzed body that drops max_tokens generates at most a few dozen tokens.
            ["Momo:ContextSize"] = "64",
            ["Momo:ReusePrefixes"] = "false",
            ["Momo:Limits:MaxBodyBytes"] = $"{512 << 10}",
            // Thousands of refusals would each log a warning line.
            ["Serilog:MinimumLevel:Default"] = "Error",
        });
        var fuzzer = new BodyFuzzer(Seed);
        var requests = Enumerable.Range(0, Requests).Select(_ => fuzzer.Next()).ToList();
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<string, int>();
        var next = -1;
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Count)
            {
                var request = requests[i];
                var (status, problem) = await SendAsync(server.Http, request);
                statuses.AddOrUpdate($"{request.Kind} {status}", 1, (_, n) => n + 1);
                if (problem is not null)
                {
                    failures.Enqueue($"#{i} {request.Kind} {request.Method} {request.Path} -> {status}: {problem}; body {Preview(request.Body)}");
                }
            }
        }));

        output.WriteLine($"{Requests} requests in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var (key, count) in statuses.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {key}: {count}");
        }
        Assert.True(failures.IsEmpty, $"{failures.Count} bad answers, first: {string.Join("\n", failures.Take(5))}");
        await AssertNothingHeldAsync(server);
    }

    private static async Task<(int Status, string? Problem)> SendAsync(HttpClient http, FuzzRequest fuzz)
    {
        using var request = new HttpRequestMessage(new HttpMethod(fuzz.Method), fuzz.Path);
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);
            request.Content.Headers.ContentType = fuzz.ContentType is null ? null : MediaTypeHeaderValue.Parse(fuzz.ContentType);
        }
        using var response = await http.SendAsync(request);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        if (status >= 500)
        {
            return (status, "a 5xx: " + text[..Math.Min(text.Length, 300)]);
        }
        var isApi = fuzz.Path.StartsWith("v1", StringComparison.Ordinal);
        if (!isApi || fuzz.Method == "HEAD")
        {
            return (status, null);
        }
        if (status >= 400)
        {
            return (status, ErrorShapeProblem(text));
        }
        var isStream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
        return (status, isStream ? StreamProblem(text) : JsonProblem(text));
    }

    private static string? ErrorShapeProblem(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var error = document.RootElement.GetProperty("error");
            var message = error.GetProperty("message");
            var type = error.GetProperty("type");
            var param = error.GetProperty("param");
            var code = error.GetProperty("code");
            return message.ValueKind == JsonValueKind.String && message.GetString()!.Length > 0 && type.ValueKind == JsonValueKind.String
                && param.ValueKind is JsonValueKind.String or JsonValueKind.Null && code.ValueKind is JsonValueKind.String or JsonValueKind.Null
                ? null
                : "an error without message, type, param and code: " + text;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "an error body that is not OpenAI's shape: " + text[..Math.Min(text.Length, 300)];
        }
    }

    private static string? JsonProblem(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return null;
        }
        catch (JsonException)
        {
            return "a success that is not JSON: " + text[..Math.Min(text.Length, 300)];
        }
    }

    private static string? StreamProblem(string text)
    {
        var events = text.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).ToList();
        if (events.Count == 0 || events[^1] != "[DONE]")
        {
            return "a stream that does not end with [DONE]: " + text[^Math.Min(text.Length, 300)..];
        }
        foreach (var data in events[..^1])
        {
            if (JsonProblem(data) is { } problem)
            {
                return problem;
            }
            if (data.Contains("\"error\"", StringComparison.Ordinal))
            {
                return "an error event in a stream: " + data;
            }
        }
        return null;
    }

    private static async Task AssertNothingHeldAsync(ServerInstance server)
    {
        Assert.Equal("Healthy", await server.Http.GetStringAsync("health"));
        using (var answer = await server.Http.PostAsync("v1/completions",
            new StringContent("""{"prompt":"The old man","max_tokens":3,"temperature":0}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        var counters = server.Engine.Counters;
        await Eventually.HoldsAsync(() => counters.Running == 0 && counters.Waiting == 0, "no request runs or waits");
        await Eventually.HoldsAsync(() => EngineProbe.KvCellsInUse(server.Engine).All(cells => cells == 0), "every tier's KV is empty");
    }

    private static string Preview(byte[]? body) =>
        body is null ? "(none)" : Encoding.UTF8.GetString(body[..Math.Min(body.Length, 200)]).Replace("\n", "\\n", StringComparison.Ordinal);
}
