using Momo.Testing;

namespace Momo.Server.Tests;

/// <summary>What the server refuses at start-up, and the documents it serves.</summary>
[Collection(ServerCollection.Name)]
public sealed class StartupTests(ServerFixture fixture)
{
    [Fact]
    public async Task A_trio_whose_tokenizers_differ_fails_start_up_naming_the_first_difference()
    {
        var tiny = TestFamilies.Tiny;
        var mixed = tiny with { QualifierPath = TestFamilies.OtherVocabulary.QualifierPath };

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerInstance.StartAsync(mixed));

        Assert.Contains("does not share the target's tokenizer", failure.Message, StringComparison.Ordinal);
        Assert.Contains("differs", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_with_129_tokens_more_than_its_draft_fails_start_up_naming_the_size_difference()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerInstance.StartAsync(TestFamilies.OverPadded));

        Assert.Contains("vocabulary size differs by more than 128", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxQueuedRequests", "0")]
    [InlineData("BatchTokens", "8")]
    [InlineData("MaxSequences", "0")]
    [InlineData("PromptCacheMiB", "-1")]
    public async Task A_setting_out_of_range_fails_start_up_naming_the_key(string key, string value)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ServerInstance.StartAsync(
            TestFamilies.Tiny, new Dictionary<string, string?> { [$"Momo:{key}"] = value }));

        Assert.Contains(key, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_and_swagger_ui_are_served()
    {
        var document = await fixture.Server.Http.GetStringAsync("openapi/v1.json");
        Assert.Contains("/v1/chat/completions", document, StringComparison.Ordinal);
        Assert.Contains("/v1/completions", document, StringComparison.Ordinal);
        Assert.Contains("/v1/messages", document, StringComparison.Ordinal);
        Assert.Contains("/v1/messages/count_tokens", document, StringComparison.Ordinal);
        Assert.Contains("/v1/responses", document, StringComparison.Ordinal);
        Assert.Contains("/v1/responses/input_tokens", document, StringComparison.Ordinal);
        Assert.Contains("/v1/responses/{id}", document, StringComparison.Ordinal);
        // The extension is documented in the wire format, the relaxed qualifier with what it keeps.
        Assert.Contains("\"qualified_tokens\"", document, StringComparison.Ordinal);
        Assert.Contains("The output stays exact", document, StringComparison.Ordinal);
        using var ui = await fixture.Server.Http.GetAsync("swagger/index.html");
        Assert.True(ui.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Alive_and_health_answer_once_loaded()
    {
        Assert.Equal("Healthy", await fixture.Server.Http.GetStringAsync("alive"));
        Assert.Equal("Healthy", await fixture.Server.Http.GetStringAsync("health"));
    }
}
