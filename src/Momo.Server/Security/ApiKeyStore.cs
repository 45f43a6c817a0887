using System.Security.Cryptography;
using System.Text;
using Momo.Server.Configuration;

namespace Momo.Server.Security;

/// <summary>
/// The configured API keys, held only as SHA-256 hashes. Comparing fixed-length hashes with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, and always against every key, keeps the time a check
/// takes independent of how much of a guess was right and of which key matched.
/// </summary>
internal sealed class ApiKeyStore
{
    private readonly byte[][] _hashes;

    private ApiKeyStore(byte[][] hashes) => _hashes = hashes;

    /// <summary>Whether any key is configured; with none, the API is open.</summary>
    public bool Enabled => _hashes.Length > 0;

    /// <summary>Keys from <c>Momo:ApiKeys</c> and the lines of <c>Momo:ApiKeyFile</c> (blank lines and # comments skipped).</summary>
    public static ApiKeyStore From(MomoOptions options)
    {
        var keys = new List<string>();
        keys.AddRange((options.ApiKeys ?? []).Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim()));
        if (options.ApiKeyFile is { } file)
        {
            // The message names the file, never its contents.
            if (!File.Exists(file))
            {
                throw new InvalidOperationException($"Momo:ApiKeyFile names a file that does not exist: {file}");
            }
            keys.AddRange(File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
        }
        return new ApiKeyStore([.. keys.Distinct(StringComparer.Ordinal).Select(Hash)]);
    }

    /// <summary>The index of the key <paramref name="presented"/> matches, or null.</summary>
    public int? Match(ReadOnlySpan<char> presented)
    {
        var hash = Hash(presented);
        var found = -1;
        for (var i = 0; i < _hashes.Length; i++)
        {
            // No early exit: every key is compared whatever matched.
            var equal = CryptographicOperations.FixedTimeEquals(hash, _hashes[i]);
            found = equal ? i : found;
        }
        return found >= 0 ? found : null;
    }

    private static byte[] Hash(string key) => Hash(key.AsSpan());

    private static byte[] Hash(ReadOnlySpan<char> key)
    {
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        var length = Encoding.UTF8.GetBytes(key, bytes);
        return SHA256.HashData(bytes.AsSpan(0, length));
    }
}
