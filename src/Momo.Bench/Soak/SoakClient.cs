using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Momo.Bench.Soak;

/// <summary>How one soak request ended: "ok", "disconnected" (on purpose), or an error kind such as
/// "http 429 rate_limit_error" or "exception HttpRequestException".</summary>
internal sealed record SoakOutcome(string Kind, double Seconds)
{
    public bool IsError => Kind is not ("ok" or "disconnected");
}

/// <summary>Sends one random request (endpoint, mode, sampling, length, stream or not) and reads it to the end, or
/// hangs up after the first chunk when asked to.</summary>
internal sealed class SoakClient(HttpClient http, SoakOptions options)
{
    private static readonly string[] Modes = ["pyramid", "two_tier", "target_only"];

    public async Task<SoakOutcome> SendAsync(Random random, string prompt, bool disconnect, CancellationToken stop)
    {
        var chat = random.Next(2) == 0;
        var stream = disconnect || random.Next(2) == 0;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.Url}/{(chat ? "chat/completions" : "completions")}")
        {
            Content = JsonContent.Create(Body(random, prompt, chat, stream)),
        };
        if (options.ApiKey is { } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        var started = Stopwatch.GetTimestamp();
        // Disconnecting is cancelling this token: HttpClient then aborts the connection, as a client that goes away does.
        using var hangUp = CancellationTokenSource.CreateLinkedTokenSource(stop);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, hangUp.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new SoakOutcome($"http {(int)response.StatusCode} {await ErrorTypeAsync(response, hangUp.Token)}", Elapsed(started));
            }
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(hangUp.Token));
            if (disconnect)
            {
                await reader.ReadLineAsync(hangUp.Token);
                await hangUp.CancelAsync();
                return new SoakOutcome("disconnected", Elapsed(started));
            }
            var body = await reader.ReadToEndAsync(hangUp.Token);
            return new SoakOutcome(stream && !body.TrimEnd().EndsWith("data: [DONE]", StringComparison.Ordinal) ? "stream without [DONE]" : "ok", Elapsed(started));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return new SoakOutcome("stopped", Elapsed(started));
        }
        catch (Exception failure) when (failure is HttpRequestException or IOException or OperationCanceledException)
        {
            return new SoakOutcome($"exception {failure.GetType().Name}", Elapsed(started));
        }
    }

    private JsonObject Body(Random random, string prompt, bool chat, bool stream)
    {
        var body = new JsonObject
        {
            ["model"] = options.Model,
            ["max_tokens"] = 1 + random.Next(options.MaxTokens),
            ["temperature"] = Math.Round(random.NextDouble() * 1.2, 2),
            ["stream"] = stream,
            ["speculative"] = new JsonObject { ["mode"] = Modes[random.Next(Modes.Length)] },
        };
        if (random.Next(2) == 0)
        {
            body["seed"] = random.Next();
            body["top_p"] = Math.Round(0.5 + (random.NextDouble() / 2), 2);
        }
        if (random.Next(4) == 0)
        {
            body["stop"] = new JsonArray("peach", "demon");
        }
        if (chat)
        {
            body["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt });
        }
        else
        {
            body["prompt"] = prompt;
        }
        return body;
    }

    private static async Task<string> ErrorTypeAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellation));
            return document.RootElement.GetProperty("error").GetProperty("type").GetString() ?? "no type";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "not an OpenAI error";
        }
    }

    private static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalSeconds;
}
