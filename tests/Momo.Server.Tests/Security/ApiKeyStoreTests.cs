using Momo.Server.Configuration;
using Momo.Server.Security;

namespace Momo.Server.Tests.Security;

/// <summary>Key sources and matching, without a server.</summary>
public sealed class ApiKeyStoreTests
{
    [Fact]
    public void No_keys_means_authentication_is_off()
    {
        Assert.False(ApiKeyStore.From(new MomoOptions()).Enabled);
        Assert.False(ApiKeyStore.From(new MomoOptions { ApiKeys = ["", "  "] }).Enabled);
    }

    [Fact]
    public void Each_configured_key_matches_its_own_index_and_nothing_else_matches()
    {
        var store = ApiKeyStore.From(new MomoOptions { ApiKeys = ["first-key", "second-key"] });

        Assert.Equal(0, store.Match("first-key"));
        Assert.Equal(1, store.Match("second-key"));
        Assert.Null(store.Match("first-ke"));
        Assert.Null(store.Match("first-keyX"));
        Assert.Null(store.Match(""));
    }

    [Fact]
    public void A_key_file_that_does_not_exist_stops_start_up_naming_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"momo-no-such-keys-{Guid.NewGuid():N}.txt");
        var failure = Assert.Throws<InvalidOperationException>(() => ApiKeyStore.From(new MomoOptions { ApiKeyFile = missing }));
        Assert.Contains(missing, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_store_keeps_no_key_text()
    {
        // Only hashes are held, so a heap dump or a stray ToString() cannot leak a key.
        var store = ApiKeyStore.From(new MomoOptions { ApiKeys = ["secret-key-text"] });
        var fields = typeof(ApiKeyStore).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);
        Assert.All(fields, f => Assert.NotEqual(typeof(string), f.FieldType));
        Assert.DoesNotContain("secret", store.ToString() ?? "", StringComparison.Ordinal);
    }
}
