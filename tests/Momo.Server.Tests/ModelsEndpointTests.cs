using System.Text.Json;
using Momo.Testing;

namespace Momo.Server.Tests;

/// <summary>GET /v1/models describes the served model without describing the server's disk.</summary>
[Collection(ServerCollection.Name)]
public sealed class ModelsEndpointTests(ServerFixture fixture)
{
    [Theory]
    [InlineData("v1/models")]
    [InlineData("v1/models/" + ServerInstance.ModelId)]
    public async Task The_model_card_names_each_tier_by_file_name_and_size_and_never_by_its_path(string path)
    {
        var body = await fixture.Server.Http.GetStringAsync(path);

        var family = TestFamilies.Tiny;
        Assert.DoesNotContain(Path.GetDirectoryName(family.TargetPath)!, body, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/'), body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        var card = json.RootElement.TryGetProperty("data", out var data) ? data[0] : json.RootElement;
        Assert.Equal(ServerInstance.ModelId, card.GetProperty("id").GetString());
        Assert.Equal("momo-kibidango", card.GetProperty("owned_by").GetString());
        var tiers = card.GetProperty("tiers");
        foreach (var (tier, file) in new[] { ("target", family.TargetPath), ("qualifier", family.QualifierPath), ("draft", family.DraftPath) })
        {
            Assert.Equal(Path.GetFileName(file), tiers.GetProperty(tier).GetProperty("file").GetString());
            Assert.Equal(new FileInfo(file).Length, tiers.GetProperty(tier).GetProperty("bytes").GetInt64());
        }
    }
}
