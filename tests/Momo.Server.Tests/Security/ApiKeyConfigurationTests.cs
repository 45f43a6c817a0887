using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Momo.Server.Configuration;
using Momo.Server.Hosting;
using Momo.Server.Security;

namespace Momo.Server.Tests.Security;

/// <summary>How the composition reads keys from configuration (no server started).</summary>
public sealed class ApiKeyConfigurationTests
{
    [Theory]
    [InlineData("Momo:ApiKeys", "key-one,key-two")]
    [InlineData("Momo:ApiKeys:0", "key-one")]
    public void Keys_given_as_one_comma_separated_value_or_as_array_elements_are_both_read(string name, string value)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.AddMomo();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [name] = value });
        using var app = builder.Build();

        var store = ApiKeyStore.From(app.Services.GetRequiredService<IOptions<MomoOptions>>().Value);

        Assert.True(store.Enabled);
        Assert.Equal(0, store.Match("key-one"));
        Assert.Equal(value.Contains(',', StringComparison.Ordinal), store.Match("key-two") is not null);
    }
}
