using Momo.Forge;
using Momo.Server.Hosting;

namespace Momo.Server.Tests.Demo;

/// <summary>
/// The family a server with no configuration serves (<see cref="FamilyPreset.Demo"/>, the server's own seed), forged
/// once per test process into a private folder that the tests' demo servers use as <c>Momo:DemoDirectory</c>.
/// </summary>
internal static class DemoFamilyFiles
{
    private static readonly Lazy<ForgedFamily> Family = new(() => FamilyForge.EnsureFamily(
        Path.Combine(Path.GetTempPath(), "momo-test-families", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "demo"),
        FamilyPreset.Demo, DemoFamily.Seed));

    public static ForgedFamily Forged => Family.Value;

    /// <summary>The benchmark's shipped chat questions (src/Momo.Bench/Prompts), the README's first example among them.</summary>
    public static IReadOnlyList<string> ChatQuestions { get; } = Load("chat.txt");

    /// <summary>The benchmark's shipped story openings, the README's completion examples among them.</summary>
    public static IReadOnlyList<string> StoryOpenings { get; } = Load("story.txt");

    private static string[] Load(string file) => File.ReadAllLines(Path.Combine(Momo.Testing.RepositoryPaths.Root, "src", "Momo.Bench", "Prompts", file))
        .Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
}
