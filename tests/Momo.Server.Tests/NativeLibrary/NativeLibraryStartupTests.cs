using Microsoft.Extensions.Options;
using Momo.Testing;

namespace Momo.Server.Tests.NativeLibrary;

/// <summary>
/// Momo:NativeLibraryPath is checked by options validation, before the server listens and before LLamaSharp loads
/// anything, so a wrong value ends start-up with a message naming the key (these tests load no native code).
/// </summary>
public sealed class NativeLibraryStartupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("momo-native-startup-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_missing_native_library_path_refuses_start_up_naming_the_setting()
    {
        var missing = Path.Combine(_folder, "no-such-build");

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?> { ["Momo:NativeLibraryPath"] = missing }));

        Assert.Contains("Momo:NativeLibraryPath", refused.Message, StringComparison.Ordinal);
        Assert.Contains("no file or folder", refused.Message, StringComparison.Ordinal);
        Assert.Contains(missing, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_of_files_that_are_not_a_llama_build_refuses_start_up_naming_the_setting()
    {
        foreach (var name in new[] { "libllama.so", "libggml-base.so", "libggml.so" })
        {
            File.WriteAllText(Path.Combine(_folder, name), "not a library");
        }

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?> { ["Momo:NativeLibraryPath"] = _folder }));

        Assert.Contains("Momo:NativeLibraryPath", refused.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be loaded", refused.Message, StringComparison.Ordinal);
    }
}
