namespace Momo.Server.Tests.NativeLibrary;

/// <summary>
/// A test that needs a shared-library llama.cpp build of the bound commit (minutes to build, so never part of the default
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
            Skip = $"{Variable} is not set: set {Variable} to the folder of a shared-library llama.cpp build of the bound commit";
        }
    }

    /// <summary>The folder, or null.</summary>
    public static string? Folder => Environment.GetEnvironmentVariable(Variable);
}
