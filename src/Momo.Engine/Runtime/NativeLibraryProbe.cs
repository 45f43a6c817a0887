using System.Runtime.InteropServices;

namespace Momo.Engine.Runtime;

/// <summary>
/// Reads a llama.cpp build's identity before LLamaSharp touches it: loads libggml-base and libllama with the
/// operating system's loader (LLamaSharp later loads the same paths and gets the same handles) and asks ggml for
/// its version and commit stamp. Loading runs no llama.cpp code beyond static initialisers, so a foreign or broken
/// file ends in a message here instead of a crash on the first decode.
/// </summary>
/// <remarks>
/// What the check cannot see: the stamp belongs to libggml-base, so a folder mixing files of several builds passes
/// when its ggml-base is right; changes outside ggml/ do not mark a build "-dirty"; and a build stamped with the
/// right commit from patched sources passes. Instructions the CPU lacks (a -march=native build copied to an older
/// CPU) fail only when a kernel runs.
/// </remarks>
public static class NativeLibraryProbe
{
    /// <summary>Loads and identifies the build in <paramref name="files"/>.</summary>
    /// <exception cref="NativeLibraryException">A file does not load, lacks the stamp, or is another llama.cpp commit.</exception>
    public static NativeLibraryBuild Identify(NativeLibraryFiles files)
    {
        var ggmlBase = Load(files.GgmlBase);
        var version = ReadString(ggmlBase, files.GgmlBase, "ggml_version");
        var commit = ReadString(ggmlBase, files.GgmlBase, "ggml_commit");
        var check = LlamaCppBuild.Check(commit);
        if (!check.IsBound)
        {
            throw new NativeLibraryException($"{files.GgmlBase}: {check.Explanation}");
        }
        if (version != LlamaCppBuild.BoundGgmlVersion)
        {
            throw new NativeLibraryException(
                $"{files.GgmlBase} reports ggml {version}, but commit {LlamaCppBuild.BoundShort} is ggml {LlamaCppBuild.BoundGgmlVersion}");
        }
        // Loading libllama resolves its own dependencies (libggml-cpu, CUDA runtime, libstdc++) now, with the loader's
        // own message when one is missing, instead of LLamaSharp's generic "cannot be correctly loaded".
        var llama = Load(files.Llama);
        if (!NativeLibrary.TryGetExport(llama, "llama_backend_init", out _))
        {
            throw new NativeLibraryException($"{files.Llama} is not a llama.cpp library (it exports no llama_backend_init)");
        }
        return new NativeLibraryBuild(files, version, commit, check.Modified);
    }

    private static IntPtr Load(string path)
    {
        try
        {
            return NativeLibrary.Load(path);
        }
        catch (Exception failure) when (failure is DllNotFoundException or BadImageFormatException)
        {
            throw new NativeLibraryException($"{path} cannot be loaded: {failure.Message}");
        }
    }

    private static unsafe string ReadString(IntPtr library, string path, string function)
    {
        if (!NativeLibrary.TryGetExport(library, function, out var address))
        {
            throw new NativeLibraryException(
                $"{path} exports no {function}(), so it is not ggml {LlamaCppBuild.BoundGgmlVersion} (llama.cpp {LlamaCppBuild.BoundShort})");
        }
        // const char * ggml_version(void) / ggml_commit(void): static strings, never freed.
        var text = ((delegate* unmanaged[Cdecl]<IntPtr>)address)();
        return Marshal.PtrToStringUTF8(text) ?? "";
    }
}

/// <summary>A llama.cpp build that passed <see cref="NativeLibraryProbe.Identify"/>.</summary>
/// <param name="Files">Its files.</param>
/// <param name="GgmlVersion">ggml_version().</param>
/// <param name="Commit">ggml_commit(): the short commit, "-dirty" when ggml/ had local changes.</param>
/// <param name="Modified">Built with local changes in ggml/.</param>
public sealed record NativeLibraryBuild(NativeLibraryFiles Files, string GgmlVersion, string Commit, bool Modified);
