using Momo.Engine.Runtime;
using Momo.Server.Tests.Observability;

namespace Momo.Server.Tests.NativeLibrary;

/// <summary>The server's check, the build script and the Dockerfile name one llama.cpp commit.</summary>
public sealed class BoundCommitTests
{
    [Fact]
    public void The_commit_file_of_the_build_script_holds_the_commit_the_server_checks_for()
    {
        var file = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "scripts", "llama-cpp-commit.txt")).Trim();

        Assert.Equal(LlamaCppBuild.BoundCommit, file);
    }

    [Fact]
    public void The_dockerfile_builds_the_library_with_the_script_from_the_commit_file()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Dockerfile"));

        Assert.Contains("scripts/build-llama.sh", dockerfile, StringComparison.Ordinal);
        Assert.Contains("scripts/llama-cpp-commit.txt", dockerfile, StringComparison.Ordinal);
        Assert.Contains("Momo__NativeLibraryPath", dockerfile, StringComparison.Ordinal);
    }
}
