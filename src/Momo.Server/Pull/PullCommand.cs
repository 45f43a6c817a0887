using System.Globalization;

namespace Momo.Server.Pull;

/// <summary>
/// <c>Momo.Server pull PRESET [--models DIR] [--config FILE] [--served-from DIR] [--base-url URL]</c>: downloads a
/// preset's three GGUF files and writes a models.json for them. <c>pull --list</c> lists the presets.
/// </summary>
internal static class PullCommand
{
    /// <summary>The hub, unless <c>--base-url</c> or <c>MOMO_HUB_URL</c> names another (a mirror, or a test server).</summary>
    public const string DefaultHub = "https://huggingface.co/";

    private const string Usage = """
        usage: pull PRESET [--models DIR] [--config FILE] [--served-from DIR] [--base-url URL]
               pull --list
          --models DIR        where the files go, as DIR/PRESET/FILE (default ./models)
          --config FILE       the models.json to write (default ./models.json)
          --served-from DIR   write paths as the server will see the models folder, e.g. /models in a container
                              (default: the local absolute path)
          --base-url URL      the hub (default https://huggingface.co/, or $MOMO_HUB_URL); HF_TOKEN is sent if set
        """;

    /// <summary>Whether the command line asks for a pull rather than the server.</summary>
    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == "pull";

    /// <summary>Runs <c>pull</c> (args include the word "pull"); returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellation = default)
    {
        if (!TryParse(args.Skip(1).ToList(), out var options, out var problem))
        {
            output.WriteLine(problem);
            output.WriteLine(Usage);
            return 2;
        }
        if (options.List)
        {
            ListPresets(output);
            return 0;
        }
        if (ModelPresets.Find(options.Preset!) is not { } preset)
        {
            output.WriteLine($"No preset '{options.Preset}'.");
            ListPresets(output);
            return 2;
        }
        using var http = CreateHttpClient();
        var puller = new ModelPuller(new HubClient(http, options.BaseUrl), output, interactive: !Console.IsOutputRedirected && output == Console.Out);
        try
        {
            await puller.PullAsync(preset, new PullTarget(options.ModelsDirectory, options.ConfigPath, options.ServedFrom), cancellation);
            return 0;
        }
        catch (Exception failure) when (failure is PullException or HttpRequestException or IOException)
        {
            output.WriteLine("pull failed: " + failure.Message);
            return 1;
        }
    }

    private static HttpClient CreateHttpClient()
    {
        // No overall timeout: a 5 GB file takes as long as it takes; a dead connection still fails and is resumed.
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("momo-kibidango-pull/1");
        if (Environment.GetEnvironmentVariable("HF_TOKEN") is { Length: > 0 } token)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        return http;
    }

    private static void ListPresets(TextWriter output)
    {
        foreach (var preset in ModelPresets.All)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {preset.Name,-8} {preset.Description} (about {ModelPresets.ApproximateGpuMemoryGiB(preset):F0} GiB of GPU memory)"));
        }
    }

    private sealed record Options(string? Preset, bool List, string ModelsDirectory, string ConfigPath, string? ServedFrom, Uri BaseUrl);

    private static bool TryParse(List<string> args, out Options options, out string problem)
    {
        string? preset = null, servedFrom = null;
        var list = false;
        var models = "models";
        var config = "models.json";
        var baseUrl = Environment.GetEnvironmentVariable("MOMO_HUB_URL") ?? DefaultHub;
        options = null!;
        problem = "";
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--list":
                    list = true;
                    continue;
                case "--models" or "--config" or "--served-from" or "--base-url" when value is null:
                    problem = $"{args[i]} needs a value.";
                    return false;
                case "--models":
                    models = value!;
                    break;
                case "--config":
                    config = value!;
                    break;
                case "--served-from":
                    servedFrom = value;
                    break;
                case "--base-url":
                    baseUrl = value!;
                    break;
                case var name when !name.StartsWith("--", StringComparison.Ordinal) && preset is null:
                    preset = name;
                    continue;
                default:
                    problem = $"Unknown argument '{args[i]}'.";
                    return false;
            }
            i++; // the value just consumed
        }
        if (preset is null && !list)
        {
            problem = "Name a preset.";
            return false;
        }
        if (!Uri.TryCreate(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute, out var hub))
        {
            problem = $"--base-url '{baseUrl}' is not an absolute URL.";
            return false;
        }
        options = new Options(preset, list, models, config, servedFrom, hub);
        return true;
    }
}
