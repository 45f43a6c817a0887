using System.Net.Http.Headers;
using System.Text.Json;

namespace Momo.Server.Pull;

/// <summary>What the hub says of a file: its size and the SHA-256 of its content.</summary>
internal sealed record HubFileInfo(long Size, string Sha256);

/// <summary>
/// The two requests `pull` makes of a Hugging Face–style hub: the repository tree (each LFS file's size and SHA-256,
/// <c>GET {base}/api/models/{repo}/tree/{revision}</c>) and the file itself
/// (<c>GET {base}/{repo}/resolve/{revision}/{file}</c>, which may redirect to a CDN and honours Range).
/// </summary>
internal sealed class HubClient(HttpClient http, Uri baseUrl)
{
    /// <summary>Size and SHA-256 of <paramref name="file"/>, from the hub's tree listing.</summary>
    public async Task<HubFileInfo> GetInfoAsync(HubFile file, CancellationToken cancellation)
    {
        var url = new Uri(baseUrl, $"api/models/{file.Repository}/tree/{Uri.EscapeDataString(file.Revision)}");
        using var response = await http.GetAsync(url, cancellation);
        if (!response.IsSuccessStatusCode)
        {
            throw new PullException($"The hub answered {(int)response.StatusCode} for the file list of {file.Repository} ({url}).");
        }
        using var tree = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellation));
        foreach (var entry in tree.RootElement.EnumerateArray())
        {
            if (entry.GetProperty("path").GetString() != file.FileName)
            {
                continue;
            }
            // GGUF files are stored with Git LFS, whose object id is the SHA-256 of the content.
            if (!entry.TryGetProperty("lfs", out var lfs) || lfs.ValueKind != JsonValueKind.Object)
            {
                throw new PullException($"{file.Repository}/{file.FileName} is not an LFS file, so the hub gives no SHA-256 to verify it against.");
            }
            return new HubFileInfo(lfs.GetProperty("size").GetInt64(), lfs.GetProperty("oid").GetString()!.ToLowerInvariant());
        }
        throw new PullException($"{file.Repository} has no file {file.FileName} at revision {file.Revision}.");
    }

    /// <summary>Starts downloading <paramref name="file"/> from byte <paramref name="from"/>; the caller reads and disposes the response.</summary>
    public async Task<HttpResponseMessage> OpenAsync(HubFile file, long from, CancellationToken cancellation)
    {
        var url = new Uri(baseUrl, $"{file.Repository}/resolve/{Uri.EscapeDataString(file.Revision)}/{Uri.EscapeDataString(file.FileName)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (from > 0)
        {
            request.Headers.Range = new RangeHeaderValue(from, null);
        }
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new PullException($"The hub answered {status} for {url}.");
        }
        return response;
    }
}
