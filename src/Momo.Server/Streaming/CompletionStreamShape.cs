using System.Text.Json.Serialization.Metadata;
using Momo.Server.Contracts;
using Momo.Server.Endpoints;

namespace Momo.Server.Streaming;

/// <summary>Text completion chunks: text pieces, then an empty piece with the finish reason.</summary>
internal sealed class CompletionStreamShape : IStreamShape<CompletionResponse>
{
    public static CompletionStreamShape Instance { get; } = new();

    public JsonTypeInfo<CompletionResponse> Type => MomoJsonContext.Default.CompletionResponse;

    public CompletionResponse? Opening(GenerationCall call) => null;

    public IEnumerable<CompletionResponse> Text(GenerationCall call, string text) => [Chunk(call, [new CompletionChoice(0, text, null)])];

    public IEnumerable<CompletionResponse> Finish(GenerationCall call, string finishReason, SpeculativeStatistics speculative) =>
        [Chunk(call, [new CompletionChoice(0, "", finishReason)]) with { Speculative = speculative }];

    public CompletionResponse Usage(GenerationCall call, Usage usage, SpeculativeStatistics speculative) =>
        Chunk(call, []) with { Usage = usage, Speculative = speculative };

    public IReadOnlyList<CompletionResponse> WithLogprobs(
        GenerationCall call, IReadOnlyList<CompletionResponse> chunks, IReadOnlyList<Logprobs.ReleasedLogprob> released)
    {
        var logprobs = Logprobs.LogprobsMapper.ToCompletion(released, call.Runtime.Text);
        return chunks.Count == 0
            ? [Chunk(call, [new CompletionChoice(0, "", null, logprobs)])]
            : [.. chunks.SkipLast(1), chunks[^1] with { Choices = [chunks[^1].Choices[0] with { Logprobs = logprobs }] }];
    }

    private static CompletionResponse Chunk(GenerationCall call, IReadOnlyList<CompletionChoice> choices) =>
        new(call.Id, "text_completion", call.Created, call.Runtime.ModelId, choices, call.Fingerprint);
}
