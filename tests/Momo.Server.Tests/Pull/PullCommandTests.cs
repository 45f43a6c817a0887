using System.Text;
using Microsoft.Extensions.Configuration;
using Momo.Forge;
using Momo.Server.Configuration;
using Momo.Server.Pull;
using Momo.Server.Tests.Observability;
using Momo.Testing;

namespace Momo.Server.Tests.Pull;

/// <summary>
/// `pull` against a loopback hub serving a forged family under the real qwen2.5 preset's repositories and file
/// names: a full download, a dropped connection resumed with a range request, a partial file from an earlier run
/// resumed, and a corrupted transfer refused.
/// </summary>
[Collection(PrometheusCollection.Name)] // one test starts a server: keep its meters out of the Prometheus test's exact counts
public sealed class PullCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("momo-pull-");
    private readonly ModelPreset _preset = ModelPresets.Find("qwen2.5")!;

    private string Models => Path.Combine(_work.FullName, "models");
    private string Config => Path.Combine(_work.FullName, "models.json");

    [Fact]
    public async Task Pull_downloads_the_trio_verifies_it_and_writes_a_models_json_a_server_serves()
    {
        var files = Forged();
        await using var hub = await LoopbackHub.StartAsync(files);

        var (code, output) = await PullAsync(hub);

        Assert.True(code == 0, output);
        foreach (var file in files)
        {
            Assert.Equal(file.Genuine, await File.ReadAllBytesAsync(Path.Combine(Models, "qwen2.5", file.FileName)));
        }
        Assert.Contains("[" + new string('#', 30) + "] 100%", output, StringComparison.Ordinal);
        Assert.Contains("GiB of GPU memory", output, StringComparison.Ordinal);
        Assert.All(hub.Downloads, d => Assert.Equal("", d.Range));

        var options = ReadConfig();
        Assert.Equal("momo-qwen2.5", options.ModelId);
        var family = new ForgedFamily(Models, options.Draft!.Path, options.Qualifier!.Path, options.Target!.Path, FamilyPreset.Tiny, TestFamilies.Seed, Reused: true, TimeSpan.Zero);
        await using var server = await ServerInstance.StartAsync(family);
        using var answer = await server.Http.PostAsync("v1/completions",
            new StringContent("""{"prompt":"The old man","max_tokens":8,"temperature":0}""", Encoding.UTF8, "application/json"));
        answer.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_dropped_connection_is_resumed_with_a_range_request_from_the_bytes_already_written()
    {
        var files = Forged();
        var target = files.Single(f => f.FileName == _preset.Target.FileName);
        var cut = target.Genuine.Length / 3;
        target.CutFirstTransferAfter = cut;
        await using var hub = await LoopbackHub.StartAsync(files);

        var (code, output) = await PullAsync(hub);

        Assert.True(code == 0, output);
        var transfers = hub.Downloads.Where(d => d.File == target.FileName).ToList();
        Assert.Equal(2, transfers.Count);
        Assert.Equal("", transfers[0].Range);
        // The hub aborts the connection after `cut` bytes; bytes still in flight may be lost with it, so the client resumes
        // from what it had written: past 0 (no fresh download) and not past what was sent.
        Assert.Matches("^bytes=[0-9]+-$", transfers[1].Range);
        Assert.InRange(long.Parse(transfers[1].Range[6..^1], System.Globalization.CultureInfo.InvariantCulture), 1, cut);
        Assert.Equal(target.Genuine, await File.ReadAllBytesAsync(Path.Combine(Models, "qwen2.5", target.FileName)));
        Assert.False(File.Exists(Path.Combine(Models, "qwen2.5", target.FileName + ResumableDownload.PartialSuffix)));
    }

    [Fact]
    public async Task A_partial_file_left_by_an_earlier_run_is_resumed_rather_than_downloaded_again()
    {
        var files = Forged();
        var draft = files.Single(f => f.FileName == _preset.Draft.FileName);
        var kept = draft.Genuine.Length / 2;
        Directory.CreateDirectory(Path.Combine(Models, "qwen2.5"));
        await File.WriteAllBytesAsync(Path.Combine(Models, "qwen2.5", draft.FileName + ResumableDownload.PartialSuffix), draft.Genuine[..kept]);
        await using var hub = await LoopbackHub.StartAsync(files);

        var (code, output) = await PullAsync(hub);

        Assert.True(code == 0, output);
        Assert.Equal([$"bytes={kept}-"], hub.Downloads.Where(d => d.File == draft.FileName).Select(d => d.Range));
        Assert.Equal(draft.Genuine, await File.ReadAllBytesAsync(Path.Combine(Models, "qwen2.5", draft.FileName)));
    }

    [Fact]
    public async Task A_file_whose_bytes_do_not_match_the_hub_sha256_is_refused_and_deleted()
    {
        var files = Forged();
        var qualifier = files.Single(f => f.FileName == _preset.Qualifier.FileName);
        var corrupted = qualifier.Genuine.ToArray();
        corrupted[corrupted.Length / 2] ^= 0x5A;
        qualifier.Served = corrupted;
        await using var hub = await LoopbackHub.StartAsync(files);

        var (code, output) = await PullAsync(hub);

        Assert.Equal(1, code);
        Assert.Contains("does not match the hub's", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Models, "qwen2.5", qualifier.FileName)));
        Assert.False(File.Exists(Path.Combine(Models, "qwen2.5", qualifier.FileName + ResumableDownload.PartialSuffix)));
        Assert.False(File.Exists(Config), "no models.json may name a refused file");
    }

    [Fact]
    public async Task Served_from_writes_the_paths_the_server_sees_inside_a_container()
    {
        await using var hub = await LoopbackHub.StartAsync(Forged());

        var (code, output) = await PullAsync(hub, "--served-from", "/models");

        Assert.True(code == 0, output);
        Assert.Equal($"/models/qwen2.5/{_preset.Target.FileName}", ReadConfig().Target!.Path);
    }

    /// <summary>The tiny forged family under the preset's repositories and file names.</summary>
    private List<HostedFile> Forged()
    {
        var family = TestFamilies.Tiny;
        return
        [
            new(_preset.Draft.Repository, _preset.Draft.FileName, File.ReadAllBytes(family.DraftPath)),
            new(_preset.Qualifier.Repository, _preset.Qualifier.FileName, File.ReadAllBytes(family.QualifierPath)),
            new(_preset.Target.Repository, _preset.Target.FileName, File.ReadAllBytes(family.TargetPath)),
        ];
    }

    private async Task<(int Code, string Output)> PullAsync(LoopbackHub hub, params string[] extra)
    {
        using var output = new StringWriter();
        var code = await PullCommand.RunAsync(["pull", "qwen2.5", "--models", Models, "--config", Config, "--base-url", hub.Address.ToString(), .. extra], output);
        return (code, output.ToString());
    }

    private MomoOptions ReadConfig() =>
        new ConfigurationBuilder().AddJsonFile(Config).Build().GetSection(MomoOptions.Section).Get<MomoOptions>()!;

    public void Dispose() => _work.Delete(recursive: true);
}
