using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Momo.Testing;

namespace Momo.Server.Tests.NativeLibrary;

/// <summary>
/// A server that loads a shared-library llama.cpp build of the bound commit. LLamaSharp picks its library once per process and
/// this test process has loaded the bundled one, so the server runs as a child process.
/// </summary>
public sealed partial class NativeLibraryProcessTests
{
    [NativeLibraryFact]
    public async Task A_server_given_a_library_built_by_the_script_loads_that_library_and_answers()
    {
        var folder = Path.GetFullPath(NativeLibraryFactAttribute.Folder!);
        var family = TestFamilies.Tiny;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory.CreateTempSubdirectory("momo-native-server-").FullName,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Momo.Server.dll"));
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Momo__NativeLibraryPath"] = folder;
        start.Environment["Momo__ModelId"] = ServerInstance.ModelId;
        start.Environment["Momo__Target__Path"] = family.TargetPath;
        start.Environment["Momo__Qualifier__Path"] = family.QualifierPath;
        start.Environment["Momo__Draft__Path"] = family.DraftPath;
        start.Environment["Momo__ContextSize"] = "512";
        start.Environment["Momo__MaxSequences"] = "2";
        using var server = Process.Start(start)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        server.ErrorDataReceived += (_, line) => { if (line.Data is not null) { log.Enqueue(line.Data); } };
        server.OutputDataReceived += (_, line) => { if (line.Data is not null) { log.Enqueue(line.Data); } };
        server.BeginErrorReadLine();
        server.BeginOutputReadLine();
        try
        {
            await WaitForAsync(log, server, line => line.Contains("Serving model", StringComparison.Ordinal));
            var lines = log.ToArray();
            var inUse = Assert.Single(lines, line => line.Contains("llama.cpp library in use", StringComparison.Ordinal));
            Assert.Contains(Path.Combine(folder, "libllama.so"), inUse, StringComparison.Ordinal);
            Assert.Contains(lines, line => line.Contains("ggml 0.18.0, commit 815a2a5", StringComparison.Ordinal));
            var address = lines.Select(line => Listening().Match(line)).First(match => match.Success).Groups[1].Value;

            using var http = new HttpClient { BaseAddress = new Uri(address + "/"), Timeout = TimeSpan.FromMinutes(2) };
            using var response = await http.PostAsJsonAsync("v1/completions",
                new { model = ServerInstance.ModelId, prompt = "Once upon a time", max_tokens = 8, temperature = 0 });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static async Task<string> WaitForAsync(
        System.Collections.Concurrent.ConcurrentQueue<string> log, Process server, Func<string, bool> wanted)
    {
        string? found = null;
        try
        {
            await Eventually.HoldsAsync(() =>
            {
                found = log.FirstOrDefault(wanted);
                Assert.True(found is not null || !server.HasExited, "the server exited:\n" + string.Join('\n', log));
                return found is not null;
            }, "the server has loaded its models", TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException timedOut)
        {
            throw new TimeoutException(timedOut.Message + "\n" + string.Join('\n', log), timedOut);
        }
        return found!;
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();
}
