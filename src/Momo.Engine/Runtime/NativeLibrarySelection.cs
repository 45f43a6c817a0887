using LLama.Native;

namespace Momo.Engine.Runtime;

/// <summary>
/// Chooses which llama.cpp build LLamaSharp loads. LLamaSharp resolves its native library once per process, on the
/// first native call, so the choice must be made before anything loads a model; later it throws.
/// </summary>
public static class NativeLibrarySelection
{
    /// <summary>
    /// Identifies the build at <paramref name="path"/> (a folder, or libllama itself) and makes LLamaSharp load it,
    /// with no fallback to the bundled build if it then fails.
    /// </summary>
    /// <exception cref="NativeLibraryException">The build is missing, does not load, or is not the bound commit.</exception>
    /// <exception cref="InvalidOperationException">LLamaSharp has already loaded a library in this process.</exception>
    public static NativeLibraryBuild Use(string path)
    {
        var build = NativeLibraryProbe.Identify(NativeLibraryFiles.Locate(path));
        if (NativeLibraryConfig.LLama.LibraryHasLoaded)
        {
            throw new InvalidOperationException("LLamaSharp has already loaded its native library in this process; choose the library before loading any model.");
        }
        NativeLibraryConfig.All
            .WithLibrary(build.Files.Llama, build.Files.Mtmd)
            // Without this LLamaSharp would quietly fall back to whatever library the runtime finds by name.
            .WithAutoFallback(false);
        return build;
    }

    /// <summary>
    /// The libllama files mapped into this process (Linux; elsewhere empty): which build actually serves, whether
    /// chosen here or picked by LLamaSharp from the bundled variants (e.g. runtimes/linux-x64/native/avx512).
    /// </summary>
    public static IReadOnlyList<string> LoadedLlamaFiles()
    {
        const string Maps = "/proc/self/maps";
        if (!OperatingSystem.IsLinux() || !File.Exists(Maps))
        {
            return [];
        }
        var name = "/" + NativeLibraryFiles.FileName("llama");
        // Lines end in the mapped file's path; a library appears once per mapped segment.
        return File.ReadLines(Maps)
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? line[slash..] : "")
            .Where(file => file.EndsWith(name, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }
}
