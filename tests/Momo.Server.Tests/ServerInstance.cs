using System.ClientModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Momo.Engine.Runtime;
using Momo.Forge;
using Momo.Server.Hosting;
using Momo.Testing;
using OpenAI;
using OpenAI.Chat;

namespace Momo.Server.Tests;

/// <summary>
/// A real server: the production composition (AddMomo/MapMomo) on Kestrel, bound to a random loopback port,
/// serving a forged model family. Tests talk to it over HTTP only.
/// </summary>
public sealed class ServerInstance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DecodeGate? _gate;
    private readonly AbortedRequestCount _aborted;

    private ServerInstance(WebApplication app, Uri address, DecodeGate? gate, AbortedRequestCount aborted)
    {
        _app = app;
        _gate = gate;
        _aborted = aborted;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
    }

    /// <summary>Base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    /// <summary>A raw HTTP client for the server.</summary>
    public HttpClient Http { get; }

    /// <summary>The server's services (engine counters, runtime), for assertions HTTP cannot see.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Requests whose client went away before the answer ended, counted once the server is done with them.</summary>
    public int AbortedRequests => _aborted.Count;

    /// <summary>The running engine.</summary>
    public Momo.Engine.InferenceEngine Engine => _app.Services.GetRequiredService<RuntimeHolder>().Require().Engine;

    /// <summary>Model id the server serves.</summary>
    public const string ModelId = "momo-test";

    /// <summary>
    /// Starts a server over <paramref name="family"/> with extra Momo:* settings, and waits until /health is ready.
    /// With a <paramref name="gate"/>, the engine decodes the target through it (the test holds generations with it);
    /// with a <paramref name="clock"/>, request time limits run on it.
    /// </summary>
    public static Task<ServerInstance> StartAsync(
        ForgedFamily family, IDictionary<string, string?>? settings = null, DecodeGate? gate = null, TimeProvider? clock = null) =>
        StartAsync(new Dictionary<string, string?>
        {
            ["Momo:Target:Path"] = family.TargetPath,
            ["Momo:Qualifier:Path"] = family.QualifierPath,
            ["Momo:Draft:Path"] = family.DraftPath,
            ["Momo:Target:GpuLayers"] = "0",
            ["Momo:Qualifier:GpuLayers"] = "0",
            ["Momo:Draft:GpuLayers"] = "0",
            ["Momo:ContextSize"] = "512",
            ["Momo:MaxSequences"] = "4",
        }, settings, gate, clock);

    /// <summary>
    /// Starts a server with no models configured, as <c>dotnet run --project src/Momo.Server</c> does: it serves the demo
    /// family it finds (or forges) in <paramref name="demoDirectory"/>, with its own defaults for everything but
    /// <paramref name="settings"/>.
    /// </summary>
    public static Task<ServerInstance> StartDemoAsync(string demoDirectory, IDictionary<string, string?>? settings = null) =>
        StartAsync(new Dictionary<string, string?> { ["Momo:DemoDirectory"] = demoDirectory }, settings, gate: null, clock: null);

    private static async Task<ServerInstance> StartAsync(
        Dictionary<string, string?> config, IDictionary<string, string?>? settings, DecodeGate? gate, TimeProvider? clock)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        config["Momo:ModelId"] = ModelId;
        config["Serilog:MinimumLevel:Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }
        builder.AddMomo();
        builder.Configuration.AddInMemoryCollection(config);
        if (gate is not null || clock is not null)
        {
            builder.Services.AddSingleton(new RuntimeHooks
            {
                WrapTier = gate is null ? null : (tier, model) => tier == Tier.Target ? gate.Wrap(model) : model,
                Clock = clock,
            });
        }
        var app = builder.Build();
        var aborted = new AbortedRequestCount();
        app.Use(aborted.CountAsync); // outermost, and it only counts: the production pipeline runs inside unchanged
        app.MapMomo();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var instance = new ServerInstance(app, new Uri(address + "/"), gate, aborted);
        try
        {
            await instance.WaitUntilReadyAsync();
            gate?.ReleaseOn(instance.Engine.Stopping);
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
        return instance;
    }

    /// <summary>An OpenAI SDK chat client pointed at this server.</summary>
    public ChatClient Chat() => new(ModelId, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(Address, "v1") });

    /// <summary>An OpenAI SDK client for the other endpoints.</summary>
    public OpenAIClient Client() => new(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(Address, "v1") });

    private async Task WaitUntilReadyAsync()
    {
        var holder = _app.Services.GetRequiredService<RuntimeHolder>();
        await Eventually.HoldsAsync(
            () => holder.LoadError is { } error ? throw new InvalidOperationException("The server failed to load its models: " + error) : holder.IsReady,
            // A bound, not a bet: loading calibrates every tier's cost curve with timed decodes, and with a whole
            // parallel test run's servers loading at once on 2 cores a load was seen to take over 2 minutes.
            "the server has loaded its models", TimeSpan.FromMinutes(10));
        using var response = await Http.GetAsync("health");
        Assert.True(response.IsSuccessStatusCode, "models are loaded but /health is not ready");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _gate?.Open(); // a test that ends (or fails) with generations held must not hold the shutdown too
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Counts the requests whose client hung up: what a test waits on before the engine may see the hang-up.</summary>
internal sealed class AbortedRequestCount
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public async Task CountAsync(Microsoft.AspNetCore.Http.HttpContext http, Microsoft.AspNetCore.Http.RequestDelegate next)
    {
        try
        {
            await next(http);
        }
        finally
        {
            if (http.RequestAborted.IsCancellationRequested)
            {
                Interlocked.Increment(ref _count);
            }
        }
    }
}
