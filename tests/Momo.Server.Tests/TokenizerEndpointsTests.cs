using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Momo.Server.Tests;

/// <summary>llama-server's /tokenize, /detokenize and /apply-template over real HTTP, with the target's tokenizer and template.</summary>
[Collection(ServerCollection.Name)]
public sealed class TokenizerEndpointsTests(ServerFixture fixture)
{
    private const string Text = "The old man went to the mountain, and the old woman went to the river.";

    // The forged families' SPM vocabulary tokenizes with a prefix space (llama.cpp's add_space_prefix); the pieces and
    // /detokenize give it back as it is, as llama-server's do.
    private const string Spelled = " " + Text;

    [Fact]
    public async Task Tokenizing_then_detokenizing_gives_the_text_back()
    {
        var tokens = await TokenizeAsync(new { content = Text });

        var detokenized = await PostAsync("detokenize", new { tokens });

        Assert.NotEmpty(tokens);
        Assert.Equal(Spelled, detokenized.GetProperty("content").GetString());
    }

    [Fact]
    public async Task With_pieces_each_id_comes_with_the_text_it_spells()
    {
        var ids = await TokenizeAsync(new { content = Text });

        var answer = await PostAsync("tokenize", new { content = Text, with_pieces = true });

        var pieces = answer.GetProperty("tokens").EnumerateArray().ToList();
        Assert.Equal(ids, pieces.Select(p => p.GetProperty("id").GetInt32()));
        Assert.Equal(Spelled, string.Concat(pieces.Select(p => p.GetProperty("piece").GetString())));
    }

    [Fact]
    public async Task A_piece_that_is_part_of_a_character_is_a_list_of_bytes()
    {
        var byteToken = Momo.Forge.ForgeVocabulary.FirstByte + 0xC3;

        var answer = await PostAsync("tokenize", new { content = "é", with_pieces = true });
        var detokenized = await PostAsync("detokenize", new { tokens = new[] { byteToken } });

        // é is no word of the vocabulary: it is spelled by two byte tokens, neither of them text on its own.
        var bytePieces = answer.GetProperty("tokens").EnumerateArray().Select(p => p.GetProperty("piece"))
            .Where(p => p.ValueKind == JsonValueKind.Array).ToList();
        Assert.Equal([0xC3, 0xA9], bytePieces.SelectMany(p => p.EnumerateArray().Select(b => b.GetInt32())));
        Assert.Equal("\uFFFD", detokenized.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Add_special_puts_the_models_special_tokens_around_the_same_text()
    {
        var plain = await TokenizeAsync(new { content = Text });
        var special = await TokenizeAsync(new { content = Text, add_special = true });

        Assert.True(special.Count > plain.Count, "add_special added nothing");
        Assert.Equal(plain, special[^plain.Count..]);
    }

    [Fact]
    public async Task Special_token_text_is_read_as_the_token_unless_parse_special_is_false()
    {
        var parsed = await TokenizeAsync(new { content = "<|im_end|>" });
        var literal = await TokenizeAsync(new { content = "<|im_end|>", parse_special = false });

        Assert.Equal([Momo.Testing.TestFamilies.EndOfTurnToken], parsed);
        Assert.True(literal.Count > 1);
        Assert.Equal("<|im_end|>", (await PostAsync("detokenize", new { tokens = parsed })).GetProperty("content").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Apply_template_renders_exactly_the_prompt_a_chat_completion_decodes(bool withTools)
    {
        var messages = new object[]
        {
            new { role = "system", content = "You tell the tale of Momotaro." },
            new { role = "user", content = "Who went to the river?" },
        };
        var tools = withTools
            ? new object[] { new { type = "function", function = new { name = "read", description = "Reads a file.", parameters = new { type = "object", properties = new { path = new { type = "string" } } } } } }
            : null;

        var prompt = (await PostAsync("apply-template", new { messages, tools })).GetProperty("prompt").GetString()!;
        var chat = await PostAsync("v1/chat/completions", new { messages, tools, max_tokens = 1, temperature = 0 });
        var promptTokens = await TokenizeAsync(new { content = prompt, add_special = true });

        Assert.Contains("Who went to the river?", prompt, StringComparison.Ordinal);
        Assert.Equal(withTools, prompt.Contains("read", StringComparison.Ordinal));
        Assert.Equal(chat.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), promptTokens.Count);
    }

    private async Task<List<int>> TokenizeAsync(object body) =>
        [.. (await PostAsync("tokenize", body)).GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32())];

    private static readonly JsonSerializerOptions WithoutNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        var json = JsonSerializer.Serialize(body, WithoutNulls);
        using var response = await fixture.Server.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
