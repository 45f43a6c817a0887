namespace Momo.Testing;

/// <summary>Finds files of the repository the tests were built from.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding MomoServer.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MomoServer.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("MomoServer.sln not found above " + AppContext.BaseDirectory);
    }
}
