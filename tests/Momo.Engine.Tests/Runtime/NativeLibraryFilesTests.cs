using Momo.Engine.Runtime;

namespace Momo.Engine.Tests.Runtime;

/// <summary>Resolving Momo:NativeLibraryPath to a build's files, and refusing files that are not one, without a crash.</summary>
public sealed class NativeLibraryFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("momo-native-files-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_path_with_nothing_there_is_refused_naming_the_path()
    {
        var missing = Path.Combine(_folder, "nowhere");

        var refused = Assert.Throws<NativeLibraryException>(() => NativeLibraryFiles.Locate(missing));

        Assert.Contains(missing, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_libllama_is_refused()
    {
        var refused = Assert.Throws<NativeLibraryException>(() => NativeLibraryFiles.Locate(_folder));

        Assert.Contains(NativeLibraryFiles.FileName("llama"), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Libllama_without_ggml_base_next_to_it_is_refused_naming_the_missing_file()
    {
        Touch("llama");

        var refused = Assert.Throws<NativeLibraryException>(() => NativeLibraryFiles.Locate(_folder));

        Assert.Contains(NativeLibraryFiles.FileName("ggml-base"), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_and_the_path_of_libllama_in_it_resolve_to_the_same_files()
    {
        Touch("llama");
        Touch("ggml-base");
        Touch("ggml");

        var byFolder = NativeLibraryFiles.Locate(_folder);
        var byFile = NativeLibraryFiles.Locate(Path.Combine(_folder, NativeLibraryFiles.FileName("llama")));

        Assert.Equal(byFolder, byFile);
        Assert.Null(byFolder.Mtmd);
    }

    [Fact]
    public void Files_that_are_not_libraries_are_refused_with_the_loaders_reason_instead_of_crashing()
    {
        Touch("llama");
        Touch("ggml-base");
        Touch("ggml");

        var refused = Assert.Throws<NativeLibraryException>(() => NativeLibraryProbe.Identify(NativeLibraryFiles.Locate(_folder)));

        Assert.Contains("cannot be loaded", refused.Message, StringComparison.Ordinal);
        Assert.Contains(NativeLibraryFiles.FileName("ggml-base"), refused.Message, StringComparison.Ordinal);
    }

    private void Touch(string library) => File.WriteAllText(Path.Combine(_folder, NativeLibraryFiles.FileName(library)), "not a library");
}
