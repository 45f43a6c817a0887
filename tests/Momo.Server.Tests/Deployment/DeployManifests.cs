using System.Text.Json;
using Momo.Testing;

namespace Momo.Server.Tests.Deployment;

/// <summary>
/// The Kubernetes manifests as a cluster would receive them: built by kustomize (kubectl's built-in copy, no cluster
/// needed), then checked against the Kubernetes, prometheus-operator and Gateway API schemas by
/// <c>tests/k8s-schema/validate.mjs</c> (npm packages installed on first use), which also hands them back as JSON.
/// </summary>
internal sealed class DeployManifests
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static DeployManifests? _built;

    private DeployManifests(JsonElement[] app, JsonElement[] adapter, string validatorReport)
    {
        App = app;
        Adapter = adapter;
        ValidatorReport = validatorReport;
    }

    /// <summary>Documents of <c>deploy/k8s</c>.</summary>
    public JsonElement[] App { get; }

    /// <summary>Documents of <c>deploy/k8s/prometheus-adapter</c>.</summary>
    public JsonElement[] Adapter { get; }

    /// <summary>What the schema validator printed (one line per problem, then a count).</summary>
    public string ValidatorReport { get; }

    /// <summary>The one document of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public JsonElement Single(string kind, string name) =>
        App.Concat(Adapter).Single(d => d.GetProperty("kind").GetString() == kind && d.GetProperty("metadata").GetProperty("name").GetString() == name);

    /// <summary>Builds and validates once per test run; throws with the validator's report if any manifest is invalid.</summary>
    public static async Task<DeployManifests> LoadAsync()
    {
        await Once.WaitAsync();
        try
        {
            return _built ??= await BuildAsync();
        }
        finally
        {
            Once.Release();
        }
    }

    private static async Task<DeployManifests> BuildAsync()
    {
        foreach (var tool in new[] { "kubectl", "node", "npm" })
        {
            Assert.True(ToolProcess.IsInstalled(tool), $"{tool} is needed to build and validate deploy/k8s (kubectl for kustomize, node and npm for the schemas)");
        }
        var checker = Path.Combine(RepositoryPaths.Root, "tests", "k8s-schema");
        if (!File.Exists(Path.Combine(checker, "node_modules", ".package-lock.json")))
        {
            await ToolProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], checker, TimeSpan.FromMinutes(5));
        }
        var work = Directory.CreateTempSubdirectory("momo-k8s-");
        try
        {
            var report = "";
            var app = await BuildOneAsync(Path.Combine("deploy", "k8s"), work.FullName, checker, r => report += r);
            var adapter = await BuildOneAsync(Path.Combine("deploy", "k8s", "prometheus-adapter"), work.FullName, checker, r => report += r);
            return new DeployManifests(app, adapter, report);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<JsonElement[]> BuildOneAsync(string folder, string work, string checker, Action<string> report)
    {
        var built = await ToolProcess.RunAsync("kubectl", ["kustomize", folder], RepositoryPaths.Root, TimeSpan.FromMinutes(2));
        var name = folder.Replace(Path.DirectorySeparatorChar, '-');
        var yaml = Path.Combine(work, name + ".yaml");
        var json = Path.Combine(work, name + ".json");
        await File.WriteAllTextAsync(yaml, built);
        report(await ToolProcess.RunAsync("node", ["validate.mjs", yaml, "--json", json], checker, TimeSpan.FromMinutes(3)));
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }
}
