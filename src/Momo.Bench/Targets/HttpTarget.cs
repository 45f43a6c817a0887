using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Momo.Bench.Measurement;
using Momo.Engine.Requests;
using Momo.Engine.Results;

namespace Momo.Bench.Targets;

/// <summary>
/// Any running OpenAI-compatible server (ours, llama-server, vLLM): streamed chat or text completions, timed from the
/// client. Driving our server through its modes (<c>--url</c>), the request carries our <c>speculative</c> extension,
/// which other servers ignore; our server answers with a <c>speculative</c> block whose counts feed the acceptance
/// figures. As a <c>--peer</c> (<paramref name="choosesMode"/> false) it leaves the extension out, so a peer runs as it
/// was started (a momo server in its default mode, not in the mode of the cell the peer shares).
/// </summary>
internal sealed class HttpTarget(string baseUrl, string model, bool choosesMode = true) : IBenchTarget
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(10) };

    /// <inheritdoc />
    public string Description => $"{baseUrl} (model {model})";

    /// <inheritdoc />
    public IReadOnlyList<double[]?>? CostCurves => null;

    /// <inheritdoc />
    public IReadOnlyList<int> EndTokens => [];

    /// <inheritdoc />
    public async Task<RequestResult> RunAsync(BenchRequest request, double sentAt, CancellationToken cancellation)
    {
        var chat = request.Set == "chat";
        using var message = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/{(chat ? "chat/completions" : "completions")}")
        {
            Content = JsonContent.Create(Body(request, chat)),
        };
        var started = Stopwatch.GetTimestamp();
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellation)}");
        }
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation));
        double? first = null;
        var last = 0.0;
        var chunks = 0;
        int? usageTokens = null;
        var promptTokens = 0;
        GenerationStatistics? statistics = null;
        var text = new StringBuilder();
        while (await reader.ReadLineAsync(cancellation) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]")
            {
                continue;
            }
            var chunk = JsonNode.Parse(line[6..]);
            // The usage chunk at the end has an empty choices array.
            var choice = chunk?["choices"] is JsonArray { Count: > 0 } choices ? choices[0] : null;
            var piece = chat ? choice?["delta"]?["content"]?.GetValue<string>() : choice?["text"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(piece))
            {
                last = Stopwatch.GetElapsedTime(started).TotalSeconds;
                first ??= last;
                chunks++;
                text.Append(piece);
            }
            usageTokens = chunk?["usage"]?["completion_tokens"]?.GetValue<int>() ?? usageTokens;
            promptTokens = chunk?["usage"]?["prompt_tokens"]?.GetValue<int>() ?? promptTokens;
            statistics = Statistics(chunk?["speculative"], request.Mode) ?? statistics;
        }
        // Servers that omit usage are counted by content chunks (one token each in llama-server and vLLM).
        return new RequestResult(request.Mode, request.Set, usageTokens ?? chunks, first ?? last, last, sentAt, text.ToString(), statistics,
            PromptTokens: promptTokens);
    }

    private JsonObject Body(BenchRequest request, bool chat)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["max_tokens"] = request.MaxTokens,
            ["temperature"] = request.Temperature,
            ["seed"] = (long)(request.Seed % long.MaxValue),
            ["stream"] = true,
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
            // llama-server reuses a slot's cached prompt by default; the in-process engine runs with prefix reuse off, so
            // every configuration pays the same prefill. Servers that do not know the field ignore it.
            ["cache_prompt"] = false,
        };
        if (choosesMode)
        {
            body["speculative"] = new JsonObject
            {
                ["mode"] = request.Mode.ToApiName(),
                ["draft_tokens"] = request.DraftTokens,
                ["qualified_tokens"] = request.Mode == DecodingMode.Pyramid ? request.QualifiedTokens : null,
            };
        }
        if (request.BannedTokens is { Count: > 0 } banned)
        {
            body["logit_bias"] = new JsonObject(banned.Select(id => KeyValuePair.Create(id.ToString(CultureInfo.InvariantCulture), (JsonNode?)JsonValue.Create(-100))));
        }
        if (chat)
        {
            body["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = request.Prompt });
        }
        else
        {
            body["prompt"] = request.Prompt;
        }
        return body;
    }

    private static GenerationStatistics? Statistics(JsonNode? block, DecodingMode mode)
    {
        if (block is null)
        {
            return null;
        }
        int Count(string name) => block[name]?.GetValueKind() == JsonValueKind.Number ? block[name]!.GetValue<int>() : 0;
        return new GenerationStatistics
        {
            Mode = block["mode"]?.GetValue<string>() ?? mode.ToApiName(),
            DraftedTokens = Count("drafted_tokens"),
            QualifierAcceptedTokens = Count("qualifier_accepted_tokens"),
            TargetProposedTokens = Count("target_proposed_tokens"),
            TargetAcceptedTokens = Count("target_accepted_tokens"),
            TargetCalls = Count("target_calls"),
        };
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
