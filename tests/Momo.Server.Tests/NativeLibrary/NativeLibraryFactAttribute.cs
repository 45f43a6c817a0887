namespace Momo.Server.Tests.NativeLibrary;

/// <summary>
/// A test that needs a llama.cpp build made by scripts/build-llama.sh (minutes to build, so never part of the default
/// run): skipped, with the reason, unless MOMO_NATIVE_LIB names its output folder.
/// </summary>
public sealed class NativeLibraryFactAttribute : FactAttribute
{
    /// <summary>The environment variable naming the build's folder.</summary>
    public const string Variable = "MOMO_NATIVE_LIB";

    public NativeLibraryFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Folder))
        {
            Skip = $"{Variable} is not set: build the library with scripts/build-llama.sh and set {Variable} to its output folder";
        }
    }

    /// <summary>The folder, or null.</summary>
    public static string? Folder => Environment.GetEnvironmentVariable(Variable);
}
