using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Momo.Server.Pull;

/// <summary>Where a pull puts things.</summary>
/// <param name="ModelsDirectory">Files go to <c>{ModelsDirectory}/{preset}/{file}</c>.</param>
/// <param name="ConfigPath">The models.json to write.</param>
/// <param name="ServedFrom">The models directory as the server will see it (e.g. <c>/models</c> in a container); null: the local absolute path.</param>
internal sealed record PullTarget(string ModelsDirectory, string ConfigPath, string? ServedFrom);

/// <summary>Pulls a preset: asks the hub for every file's size and SHA-256, downloads and verifies each, writes models.json.</summary>
internal sealed class ModelPuller(HubClient hub, TextWriter output, bool interactive)
{
    /// <summary>Downloads the three files of <paramref name="preset"/> and writes a models.json naming them; returns that file's path.</summary>
    public async Task<string> PullAsync(ModelPreset preset, PullTarget target, CancellationToken cancellation)
    {
        var infos = new List<HubFileInfo>();
        foreach (var (_, file) in preset.Tiers)
        {
            infos.Add(await hub.GetInfoAsync(file, cancellation));
        }
        var estimate = preset.GpuMemoryGiB(infos.Select(i => i.Size).ToList(), ModelPresets.DefaultKvTokens);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{preset.Description}: {Gib(infos.Sum(i => i.Size))} GiB to download; about {estimate:F1} GiB of GPU memory with ContextSize 2048 × MaxSequences 8."));

        var folder = Path.Combine(target.ModelsDirectory, preset.Name);
        Directory.CreateDirectory(folder);
        var download = new ResumableDownload(hub);
        for (var i = 0; i < preset.Tiers.Count; i++)
        {
            var (tier, file) = preset.Tiers[i];
            var destination = Path.Combine(folder, file.FileName);
            var progress = new ConsoleProgress(output, $"{tier}: {file.FileName}", infos[i].Size, interactive);
            await download.FetchAsync(file, infos[i], destination, progress, cancellation);
            output.WriteLine($"{tier}: {destination} (SHA-256 {infos[i].Sha256} verified)");
        }

        WriteConfig(preset, target);
        output.WriteLine($"Wrote {target.ConfigPath}. Serve it with: MOMO_CONFIG={target.ConfigPath} dotnet run --project src/Momo.Server");
        return target.ConfigPath;
    }

    private static void WriteConfig(ModelPreset preset, PullTarget target)
    {
        var root = target.ServedFrom?.TrimEnd('/') ?? Path.GetFullPath(target.ModelsDirectory);
        string PathOf(HubFile file) => target.ServedFrom is null
            ? Path.Combine(root, preset.Name, file.FileName)
            : $"{root}/{preset.Name}/{file.FileName}";
        var config = new JsonObject
        {
            ["Momo"] = new JsonObject
            {
                ["ModelId"] = "momo-" + preset.Name,
                ["Target"] = new JsonObject { ["Path"] = PathOf(preset.Target) },
                ["Qualifier"] = new JsonObject { ["Path"] = PathOf(preset.Qualifier) },
                ["Draft"] = new JsonObject { ["Path"] = PathOf(preset.Draft) },
            },
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(target.ConfigPath))!;
        Directory.CreateDirectory(directory);
        var temp = target.ConfigPath + ".tmp";
        File.WriteAllText(temp, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
        File.Move(temp, target.ConfigPath, overwrite: true);
    }

    private static string Gib(long bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("F2", CultureInfo.InvariantCulture);
}
