using System.Globalization;
using Momo.Forge;

// Tiny CLI over FamilyForge:
//   family --preset demo --out DIR [--seed 42]     forge draft/qualifier/target.gguf into DIR
//   --list-presets                                 print the built-in presets
if (args.Contains("--list-presets"))
{
    foreach (var p in FamilyPreset.All)
    {
        Console.WriteLine(p);
    }

    return 0;
}
if (args.Length == 0 || args[0] != "family")
{
    Console.Error.WriteLine("usage: momo-forge family --preset demo|tiny --out DIR [--seed N]\n       momo-forge --list-presets");
    return 2;
}
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
try
{
    var preset = FamilyPreset.Named(Option("--preset") ?? "demo");
    var outDir = Option("--out") ?? Path.Combine(".momo-cache", preset.Name);
    var seed = int.Parse(Option("--seed") ?? "42", CultureInfo.InvariantCulture);
    var family = FamilyForge.Forge(outDir, preset, seed);
    foreach (var path in family.Paths)
    {
        Console.WriteLine($"{path}  {new FileInfo(path).Length / 1e6:F1} MB");
    }

    Console.WriteLine($"forged preset '{preset.Name}' (seed {seed}, layers {preset.DraftLayers}/{preset.QualifierLayers}/{preset.TargetLayers}) in {family.Elapsed.TotalSeconds:F1} s");
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
