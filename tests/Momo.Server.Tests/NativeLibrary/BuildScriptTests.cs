using System.Diagnostics;
using Momo.Engine.Runtime;
using Momo.Server.Tests.Observability;

namespace Momo.Server.Tests.NativeLibrary;

/// <summary>
/// scripts/build-llama.sh: its arguments, its refusal of a source at another (or an unknown) commit, and the cmake
/// flags it would use (--dry-run builds nothing, so these run in a second).
/// </summary>
public sealed class BuildScriptTests : IDisposable
{
    private readonly string _source = Directory.CreateTempSubdirectory("momo-llama-src-").FullName;
    private readonly string _out = Path.Combine(Path.GetTempPath(), "momo-llama-out-unused");

    public BuildScriptTests()
    {
        // Just enough of a llama.cpp tree for the script to recognise one.
        Directory.CreateDirectory(Path.Combine(_source, "include"));
        Directory.CreateDirectory(Path.Combine(_source, "ggml"));
        File.WriteAllText(Path.Combine(_source, "CMakeLists.txt"), "project(llama.cpp)\n");
        File.WriteAllText(Path.Combine(_source, "include", "llama.h"), "// llama.h\n");
        File.WriteAllText(Path.Combine(_source, "ggml", "CMakeLists.txt"), "project(ggml)\n");
    }

    public void Dispose() => Directory.Delete(_source, recursive: true);

    [Fact]
    public void Help_names_the_bound_commit()
    {
        var run = Script("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(LlamaCppBuild.BoundCommit, run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--out", "OUT", "--cpu-native")]
    [InlineData("--source", "SRC", "--cpu-native")]
    [InlineData("--source", "SRC", "--out", "OUT")]
    [InlineData("--source", "SRC", "--out", "OUT", "--cpu-native", "--cuda", "90")]
    [InlineData("--source", "SRC", "--out", "OUT", "--cuda", "sm90")]
    [InlineData("--source", "SRC", "--out", "OUT", "--cuda")]
    [InlineData("--source", "SRC", "--out", "OUT", "--cpu-native", "--jobs", "0")]
    [InlineData("--source", "SRC", "--out", "OUT", "--cpu-native", "--frobnicate")]
    public void Missing_conflicting_or_malformed_arguments_are_refused_with_exit_code_2(params string[] args)
    {
        var run = Script(args.Select(Fill).ToArray());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("build-llama:", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_that_is_not_llama_cpp_is_refused()
    {
        var run = Script("--source", _out, "--out", _out, "--cpu-native");

        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public void A_source_that_is_not_a_git_checkout_is_refused_because_its_commit_cannot_be_told()
    {
        var run = Script("--source", _source, "--out", _out, "--cpu-native", "--dry-run");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("cannot tell the commit", run.Output, StringComparison.Ordinal);
        Assert.Contains(LlamaCppBuild.BoundCommit, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_git_checkout_at_another_commit_is_refused_naming_both_commits()
    {
        Git("init", "-q");
        Git("add", ".");
        Git("-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "not llama.cpp");
        var head = Git("rev-parse", "HEAD").Trim();

        var run = Script("--source", _source, "--out", _out, "--cpu-native", "--dry-run");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains(head, run.Output, StringComparison.Ordinal);
        Assert.Contains(LlamaCppBuild.BoundCommit, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cpu_native_dry_run_uses_llamasharps_flags_with_ggml_native()
    {
        var run = Script("--source", _source, "--out", _out, "--cpu-native", "--allow-other-commit", "--dry-run");

        Assert.Equal(0, run.ExitCode);
        foreach (var flag in new[] { "-DBUILD_SHARED_LIBS=ON", "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_OPENSSL=OFF", "-DCMAKE_INSTALL_RPATH=$ORIGIN",
                     "-DCMAKE_BUILD_WITH_INSTALL_RPATH=ON", "-DGGML_NATIVE=ON", "-DLLAMA_BUILD_SERVER=OFF" })
        {
            Assert.Contains(flag, run.Output, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("GGML_CUDA", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cuda_dry_run_targets_the_chosen_architectures_with_a_generic_cpu_part()
    {
        var run = Script("--source", _source, "--out", _out, "--cuda", "80;90", "--server", "--allow-other-commit", "--dry-run");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("-DGGML_CUDA=ON", run.Output, StringComparison.Ordinal);
        Assert.Contains("-DCMAKE_CUDA_ARCHITECTURES=80;90", run.Output, StringComparison.Ordinal);
        Assert.Contains("-DGGML_NATIVE=OFF", run.Output, StringComparison.Ordinal);
        Assert.Contains("ggml-cuda", run.Output, StringComparison.Ordinal);
        Assert.Contains("llama-server", run.Output, StringComparison.Ordinal);
    }

    private string Fill(string arg) => arg switch { "SRC" => _source, "OUT" => _out, _ => arg };

    private static (int ExitCode, string Output) Script(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "scripts", "build-llama.sh"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Run(start);
    }

    private string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _source };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var (code, output) = Run(start);
        Assert.True(code == 0, "git " + string.Join(' ', args) + ": " + output);
        return output;
    }

    private static (int ExitCode, string Output) Run(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
