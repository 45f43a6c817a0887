using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Momo.Server.Configuration;
using Momo.Server.Tests.Observability;
using Momo.Testing;

namespace Momo.Server.Tests.Deployment;

/// <summary>
/// deploy/k8s is valid Kubernetes, and every name it relies on (probe paths, ports, the metric names of the HPA's
/// adapter rule, the endpoint picker and the dashboard) exists on a real server. No cluster is needed: kustomize builds
/// the manifests and the schemas come from npm packages.
/// </summary>
[Collection(PrometheusCollection.Name)] // starts a server: keep its meters out of the exact counts of the Prometheus test
public sealed partial class KubernetesManifestTests
{
    [Fact]
    public async Task Every_manifest_built_by_kustomize_is_valid_against_the_kubernetes_schemas()
    {
        var manifests = await DeployManifests.LoadAsync();

        Assert.Contains("0 problems", manifests.ValidatorReport, StringComparison.Ordinal);
        var kinds = manifests.App.Select(d => d.GetProperty("kind").GetString()).ToHashSet();
        foreach (var kind in new[] { "Deployment", "Service", "ServiceMonitor", "HorizontalPodAutoscaler", "PersistentVolumeClaim", "ConfigMap", "InferencePool", "HTTPRoute" })
        {
            Assert.Contains(kind, kinds);
        }
        var container = Container(manifests.Single("Deployment", "momo"));
        Assert.Equal("1", container.GetProperty("resources").GetProperty("limits").GetProperty("nvidia.com/gpu").ToString());
    }

    [Fact]
    public async Task Probe_paths_ports_and_every_metric_the_autoscaler_picker_and_dashboard_read_exist_on_a_live_server()
    {
        var manifests = await DeployManifests.LoadAsync();
        var deployment = manifests.Single("Deployment", "momo");
        var container = Container(deployment);
        var ports = container.GetProperty("ports").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("containerPort").GetInt32());
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny);
        await DriveOneRequestPerModeAndOneErrorAsync(server.Http);

        // Probes: the paths answer 200 on a loaded server, on the port the server listens on.
        var probes = new[] { "startupProbe", "readinessProbe", "livenessProbe" }.ToDictionary(p => p, p => container.GetProperty(p).GetProperty("httpGet"));
        Assert.Equal("/health", probes["startupProbe"].GetProperty("path").GetString());
        Assert.Equal("/health", probes["readinessProbe"].GetProperty("path").GetString());
        Assert.Equal("/alive", probes["livenessProbe"].GetProperty("path").GetString());
        foreach (var (probe, httpGet) in probes)
        {
            Assert.Equal(ServerPort, ports[httpGet.GetProperty("port").GetString()!]);
            using var answer = await server.Http.GetAsync(httpGet.GetProperty("path").GetString()!.TrimStart('/'));
            Assert.True(answer.IsSuccessStatusCode, $"{probe} {httpGet} answered {answer.StatusCode}");
        }
        Assert.Contains($":{ServerPort}", Env(container, "ASPNETCORE_URLS"), StringComparison.Ordinal);

        // Ports: Service → container, ServiceMonitor → Service, InferencePool → container, pool → picker.
        var service = manifests.Single("Service", "momo").GetProperty("spec").GetProperty("ports")[0];
        Assert.True(ports.ContainsKey(service.GetProperty("targetPort").GetString()!));
        var scrape = manifests.Single("ServiceMonitor", "momo").GetProperty("spec").GetProperty("endpoints")[0];
        Assert.Equal(service.GetProperty("name").GetString(), scrape.GetProperty("port").GetString());
        using (var metricsAnswer = await server.Http.GetAsync(scrape.GetProperty("path").GetString()!.TrimStart('/')))
        {
            metricsAnswer.EnsureSuccessStatusCode();
        }
        var pool = manifests.Single("InferencePool", "momo").GetProperty("spec");
        Assert.Equal(ServerPort, pool.GetProperty("targetPorts")[0].GetProperty("number").GetInt32());
        var picker = Container(manifests.Single("Deployment", "momo-endpoint-picker"));
        var pickerPort = pool.GetProperty("endpointPickerRef").GetProperty("port").GetProperty("number").GetInt32();
        Assert.Contains(picker.GetProperty("ports").EnumerateArray(), p => p.GetProperty("containerPort").GetInt32() == pickerPort);
        Assert.Equal(pickerPort, manifests.Single("Service", "momo-endpoint-picker").GetProperty("spec").GetProperty("ports")[0].GetProperty("port").GetInt32());

        var exposed = ParseMetricTypes(await server.Http.GetStringAsync("metrics"));

        // HPA → adapter rule → a gauge the server exports.
        var rules = manifests.Single("ConfigMap", "prometheus-adapter").GetProperty("parsedData").GetProperty("config.yaml").GetProperty("rules").EnumerateArray().ToList();
        foreach (var rule in rules)
        {
            var series = SeriesName(rule.GetProperty("seriesQuery").GetString()!);
            Assert.True(exposed.TryGetValue(series, out var type) && type == "gauge", $"adapter rule reads '{series}', which /metrics does not export as a gauge");
        }
        foreach (var metric in manifests.Single("HorizontalPodAutoscaler", "momo").GetProperty("spec").GetProperty("metrics").EnumerateArray())
        {
            var name = metric.GetProperty("pods").GetProperty("metric").GetProperty("name").GetString();
            Assert.Contains(rules, r => r.GetProperty("name").GetProperty("as").GetString() == name);
        }

        // Endpoint picker: the gauges its flags name exist, and the KV one is a fraction.
        var args = picker.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToList();
        foreach (var flag in new[] { "--total-queued-requests-metric", "--total-running-requests-metric", "--kv-cache-usage-percentage-metric" })
        {
            var name = args[args.IndexOf(flag) + 1];
            Assert.True(exposed.TryGetValue(name, out var type) && type == "gauge", $"the picker reads '{name}' ({flag}), which /metrics does not export as a gauge");
        }
        var kv = SampleValue(await server.Http.GetStringAsync("metrics"), "kv_cache_usage_perc");
        Assert.InRange(kv, 0.0, 1.0);

        // Dashboard: every metric name in every panel's expression.
        foreach (var (panel, expression) in DashboardQueries.Load())
        {
            foreach (var name in MetricNames(expression))
            {
                Assert.True(IsExported(exposed, name), $"panel '{panel}' reads '{name}', which /metrics does not export");
            }
        }
    }

    [Fact]
    public async Task The_config_map_models_json_binds_to_the_server_options_and_points_into_the_models_volume()
    {
        var manifests = await DeployManifests.LoadAsync();
        var deployment = manifests.Single("Deployment", "momo");
        var container = Container(deployment);
        var config = manifests.App.Single(d => d.GetProperty("kind").GetString() == "ConfigMap"
            && d.GetProperty("metadata").GetProperty("name").GetString()!.StartsWith("momo-config", StringComparison.Ordinal));
        var json = config.GetProperty("data").GetProperty("models.json").GetString()!;

        var options = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build()
            .GetSection(MomoOptions.Section).Get<MomoOptions>()!;
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        var mounts = container.GetProperty("volumeMounts").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("mountPath").GetString()!);
        foreach (var tier in new[] { options.Target, options.Qualifier, options.Draft })
        {
            Assert.StartsWith(mounts["models"] + "/", tier!.Path, StringComparison.Ordinal);
        }
        Assert.Equal(mounts["config"] + "/models.json", Env(container, "MOMO_CONFIG"));
        var volumes = deployment.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("volumes").EnumerateArray().ToList();
        Assert.Equal(config.GetProperty("metadata").GetProperty("name").GetString(),
            volumes.Single(v => v.GetProperty("name").GetString() == "config").GetProperty("configMap").GetProperty("name").GetString());

        var dockerfile = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "Dockerfile"));
        Assert.Contains($"EXPOSE {ServerPort}", dockerfile, StringComparison.Ordinal);
    }

    private const int ServerPort = 8080;

    private static JsonElement Container(JsonElement deployment) =>
        deployment.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0];

    private static string Env(JsonElement container, string name) =>
        container.GetProperty("env").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name).GetProperty("value").GetString()!;

    /// <summary>Metric name → type, from the exposition's "# TYPE name type" lines.</summary>
    private static Dictionary<string, string> ParseMetricTypes(string exposition) =>
        TypeLine().Matches(exposition).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    private static double SampleValue(string exposition, string name) =>
        double.Parse(Regex.Match(exposition, $@"^{name}(?:\{{[^}}]*\}})? (\S+)", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);

    private static bool IsExported(Dictionary<string, string> exposed, string name) =>
        exposed.ContainsKey(name)
        || new[] { "_bucket", "_sum", "_count" }.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal)
            && exposed.TryGetValue(name[..^suffix.Length], out var type) && type == "histogram");

    /// <summary>The metric of an adapter seriesQuery such as <c>name{namespace!="",pod!=""}</c>.</summary>
    private static string SeriesName(string seriesQuery) => MetricName().Match(seriesQuery).Value;

    /// <summary>Metric names in a PromQL expression: identifiers left once label matchers, grouping clauses, function calls and keywords are gone.</summary>
    private static IEnumerable<string> MetricNames(string expression)
    {
        var bare = Grouping().Replace(LabelMatchers().Replace(expression, " "), " ");
        return Identifier().Matches(bare).Select(m => m.Groups[1].Value)
            .Where(name => !Keywords.Contains(name) && name.Contains('_', StringComparison.Ordinal))
            .Distinct();
    }

    private static readonly HashSet<string> Keywords = ["by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "offset", "bool"];

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    // An identifier not followed by "(" (a function call) and not part of a number or duration.
    [GeneratedRegex(@"(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?!\s*\()(?![\w])")]
    private static partial Regex Identifier();

    private static async Task DriveOneRequestPerModeAndOneErrorAsync(HttpClient http)
    {
        foreach (var mode in new[] { "pyramid", "two_tier", "target_only" })
        {
            var body = $$$"""{"prompt":"The old man","max_tokens":12,"temperature":0.7,"seed":1,"speculative":{"mode":"{{{mode}}}"}}""";
            using var answer = await http.PostAsync("v1/completions", new StringContent(body, Encoding.UTF8, "application/json"));
            answer.EnsureSuccessStatusCode();
        }
        // One refused request, so the error counter has a series.
        using var refused = await http.PostAsync("v1/completions", new StringContent("{oops", Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
    }
}
