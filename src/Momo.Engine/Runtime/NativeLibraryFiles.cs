namespace Momo.Engine.Runtime;

/// <summary>
/// The files of one llama.cpp build in one folder, as LLamaSharp loads them for a library given by path: it loads
/// ggml-base and ggml from the folder of llama, then llama itself (libllama's $ORIGIN rpath finds ggml-cpu and the
/// GPU backends there too).
/// </summary>
/// <param name="Folder">The folder holding the build.</param>
/// <param name="Llama">libllama.so (llama.dll, libllama.dylib).</param>
/// <param name="GgmlBase">libggml-base: its ggml_commit() stamp identifies the build.</param>
/// <param name="Mtmd">libmtmd, when the build has it (multimodal; the engine never calls it).</param>
public sealed record NativeLibraryFiles(string Folder, string Llama, string GgmlBase, string? Mtmd)
{
    /// <summary>
    /// Resolves a folder, or the path of libllama itself, to the build's files.
    /// </summary>
    /// <exception cref="NativeLibraryException">Nothing at the path, or a file the build needs is missing.</exception>
    public static NativeLibraryFiles Locate(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new NativeLibraryException("the path is empty");
        }
        var full = Path.GetFullPath(path);
        string folder;
        string llama;
        if (Directory.Exists(full))
        {
            folder = full;
            llama = Path.Combine(folder, FileName("llama"));
        }
        else if (File.Exists(full))
        {
            folder = Path.GetDirectoryName(full)!;
            llama = full;
        }
        else
        {
            throw new NativeLibraryException($"there is no file or folder at '{full}'");
        }
        if (!File.Exists(llama))
        {
            throw new NativeLibraryException($"'{folder}' holds no {FileName("llama")}; point it at the folder that holds a shared-library build of llama.cpp");
        }
        foreach (var needed in new[] { "ggml-base", "ggml" })
        {
            if (!File.Exists(Path.Combine(folder, FileName(needed))))
            {
                throw new NativeLibraryException($"'{folder}' holds {Path.GetFileName(llama)} but not {FileName(needed)}, which must sit next to it");
            }
        }
        var mtmd = Path.Combine(folder, FileName("mtmd"));
        return new(folder, llama, Path.Combine(folder, FileName("ggml-base")), File.Exists(mtmd) ? mtmd : null);
    }

    /// <summary>The platform's file name of a native library: libllama.so, llama.dll, libllama.dylib.</summary>
    public static string FileName(string name) =>
        OperatingSystem.IsWindows() ? name + ".dll"
        : OperatingSystem.IsMacOS() ? "lib" + name + ".dylib"
        : "lib" + name + ".so";

}

/// <summary>A configured llama.cpp build that must not be loaded, and why.</summary>
public sealed class NativeLibraryException(string message) : Exception(message);
