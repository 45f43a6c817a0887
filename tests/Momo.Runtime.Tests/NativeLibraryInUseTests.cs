using Momo.Engine.Runtime;

namespace Momo.Runtime.Tests;

[Collection(TierCollection.Name)]
public sealed class NativeLibraryInUseTests(TierFixture tiers)
{
    [Fact]
    public void Once_a_tier_is_loaded_the_libllama_actually_mapped_is_named()
    {
        Assert.NotNull(tiers.Target); // the fixture has loaded llama.cpp

        var files = NativeLibrarySelection.LoadedLlamaFiles();

        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.EndsWith("/libllama.so", file, StringComparison.Ordinal));
    }
}
