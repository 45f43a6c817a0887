using System.Net;
using System.Security.Cryptography;

namespace Momo.Server.Pull;

/// <summary>
/// Downloads one file into <c>NAME.partial</c>, resuming with an HTTP range request from whatever an earlier, broken
/// attempt left there (in this run or an earlier one), verifies its SHA-256 and only then renames it to NAME. A file
/// whose hash differs is deleted and refused, never kept under its final name.
/// </summary>
internal sealed class ResumableDownload(HubClient hub, int attempts = 4)
{
    private const int BufferBytes = 1 << 20;

    /// <summary>Suffix of a file still being downloaded.</summary>
    public const string PartialSuffix = ".partial";

    /// <summary>Makes <paramref name="destination"/> hold <paramref name="file"/>; reports bytes present so far to <paramref name="progress"/>.</summary>
    public async Task FetchAsync(HubFile file, HubFileInfo expected, string destination, IProgress<long> progress, CancellationToken cancellation)
    {
        if (File.Exists(destination) && new FileInfo(destination).Length == expected.Size
            && await Sha256Async(destination, cancellation) == expected.Sha256)
        {
            progress.Report(expected.Size);
            return;
        }
        var partial = destination + PartialSuffix;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ContinueAsync(file, expected, partial, progress, cancellation);
                break;
            }
            catch (Exception broken) when (attempt < attempts && broken is IOException or HttpRequestException && !cancellation.IsCancellationRequested)
            {
                // The connection dropped mid-file: the next attempt resumes from the bytes already on disk.
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellation);
            }
        }
        var actual = await Sha256Async(partial, cancellation);
        if (actual != expected.Sha256)
        {
            File.Delete(partial);
            throw new PullException($"{file.FileName}: SHA-256 {actual} does not match the hub's {expected.Sha256}; the download was deleted. Run pull again.");
        }
        File.Move(partial, destination, overwrite: true);
    }

    private async Task ContinueAsync(HubFile file, HubFileInfo expected, string partial, IProgress<long> progress, CancellationToken cancellation)
    {
        var present = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (present > expected.Size)
        {
            File.Delete(partial); // longer than the file can be: not a prefix of it
            present = 0;
        }
        progress.Report(present);
        if (present == expected.Size)
        {
            return;
        }
        using var response = await hub.OpenAsync(file, present, cancellation);
        // 206: the server honoured the range, append. 200: it sent the whole file, start over.
        var append = present > 0 && response.StatusCode == HttpStatusCode.PartialContent
            && response.Content.Headers.ContentRange?.From == present;
        await using var output = new FileStream(partial, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferBytes, useAsync: true);
        var written = append ? present : 0;
        await using var input = await response.Content.ReadAsStreamAsync(cancellation);
        var buffer = new byte[BufferBytes];
        int read;
        while ((read = await input.ReadAsync(buffer, cancellation)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), cancellation);
            written += read;
            progress.Report(written);
        }
        if (written != expected.Size)
        {
            throw new IOException($"{file.FileName}: the transfer ended at {written} of {expected.Size} bytes.");
        }
    }

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static async Task<string> Sha256Async(string path, CancellationToken cancellation)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellation));
    }
}
