using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Momo.Server.Tests.Pull;

/// <summary>A file the hub serves: what it advertises (size, SHA-256 of <see cref="Genuine"/>) and what it sends.</summary>
internal sealed class HostedFile(string repository, string fileName, byte[] genuine)
{
    public string Repository { get; } = repository;
    public string FileName { get; } = fileName;
    public byte[] Genuine { get; } = genuine;

    /// <summary>The bytes actually sent; differ from <see cref="Genuine"/> to play a corrupted transfer.</summary>
    public byte[] Served { get; set; } = genuine;

    /// <summary>Drop the connection after this many bytes of the first download request.</summary>
    public long? CutFirstTransferAfter { get; set; }
}

/// <summary>
/// A Hugging Face–style hub on loopback: <c>/api/models/{owner}/{name}/tree/{revision}</c> lists files with their LFS
/// size and SHA-256, <c>/{owner}/{name}/resolve/{revision}/{file}</c> serves them and honours <c>Range: bytes=N-</c>.
/// Records every download request with its Range header.
/// </summary>
internal sealed partial class LoopbackHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, HostedFile> _files;
    private readonly ConcurrentDictionary<string, int> _transfers = new();

    private LoopbackHub(WebApplication app, Dictionary<string, HostedFile> files)
    {
        _app = app;
        _files = files;
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>Download requests in arrival order: file name and Range header ("" when none).</summary>
    public ConcurrentQueue<(string File, string Range)> Downloads { get; } = new();

    public static async Task<LoopbackHub> StartAsync(IEnumerable<HostedFile> files)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var hub = new LoopbackHub(app, files.ToDictionary(f => $"{f.Repository}/{f.FileName}"));
        app.MapGet("/api/models/{owner}/{name}/tree/{revision}", (string owner, string name) => hub.Tree($"{owner}/{name}"));
        app.MapGet("/{owner}/{name}/resolve/{revision}/{file}", (HttpContext http, string owner, string name, string file) => hub.ServeAsync(http, $"{owner}/{name}", file));
        await app.StartAsync();
        hub.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return hub;
    }

    private IResult Tree(string repository) => Results.Json(_files.Values.Where(f => f.Repository == repository).Select(f => new
    {
        type = "file",
        path = f.FileName,
        size = f.Genuine.Length,
        lfs = new { oid = Convert.ToHexStringLower(SHA256.HashData(f.Genuine)), size = f.Genuine.Length, pointerSize = 134 },
    }));

    private async Task ServeAsync(HttpContext http, string repository, string fileName)
    {
        if (!_files.TryGetValue($"{repository}/{fileName}", out var file))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var range = http.Request.Headers.Range.ToString();
        Downloads.Enqueue((fileName, range));
        var transfer = _transfers.AddOrUpdate(fileName, 1, (_, n) => n + 1);
        var from = RangeStart().Match(range) is { Success: true } m ? long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var bytes = file.Served;
        if (from > 0)
        {
            http.Response.StatusCode = StatusCodes.Status206PartialContent;
            http.Response.Headers.ContentRange = $"bytes {from}-{bytes.Length - 1}/{bytes.Length}";
        }
        http.Response.ContentLength = bytes.Length - from;
        http.Response.ContentType = "application/octet-stream";
        if (transfer == 1 && file.CutFirstTransferAfter is { } cut)
        {
            await http.Response.Body.WriteAsync(bytes.AsMemory((int)from, (int)(cut - from)));
            await http.Response.Body.FlushAsync();
            http.Abort(); // the connection drops mid-file
            return;
        }
        await http.Response.Body.WriteAsync(bytes.AsMemory((int)from));
    }

    [GeneratedRegex(@"^bytes=(\d+)-$")]
    private static partial Regex RangeStart();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
