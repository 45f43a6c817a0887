using Momo.Forge;
using Momo.Server.Configuration;

namespace Momo.Server.Hosting;

/// <summary>The zero-configuration default: the forged demo family, written once into a cache directory.</summary>
internal static partial class DemoFamily
{
    /// <summary>Seed of the demo family: every fresh machine serves the same models.</summary>
    public const int Seed = 42;

    public static ResolvedTiers Ensure(MomoOptions settings, ILogger logger)
    {
        var preset = FamilyPreset.Named(settings.DemoFamily);
        var directory = settings.DemoDirectory ?? DefaultDirectory(preset);
        LogForging(logger, preset.Name, directory);
        var family = FamilyForge.EnsureFamily(directory, preset, Seed);
        LogDemo(logger, directory);
        return new ResolvedTiers(
            new TierOptions { Path = family.TargetPath, GpuLayers = 0 },
            new TierOptions { Path = family.QualifierPath, GpuLayers = 0 },
            new TierOptions { Path = family.DraftPath, GpuLayers = 0 },
            IsDemo: true);
    }

    // The demo keeps its historical folder name, so caches forged before presets were selectable stay in use.
    private static string DefaultDirectory(FamilyPreset preset)
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache))
        {
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }
        return Path.Combine(cache, "momo", preset == FamilyPreset.Demo ? "demo-family" : preset.Name + "-family");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No models configured: preparing the forged '{Preset}' model family in {Directory}")]
    private static partial void LogForging(ILogger logger, string preset, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Serving DEMO models (tiny synthetic llama models forged from the Momotaro tale, in {Directory}); their text " +
        "imitates the tale's words without meaning. To serve real GGUF files, set Momo:Target:Path, Momo:Qualifier:Path and Momo:Draft:Path " +
        "in models.json (see models.example.json) or as environment variables Momo__Target__Path=...")]
    private static partial void LogDemo(ILogger logger, string directory);
}
