using System.Text.RegularExpressions;

namespace Momo.Engine.Runtime;

/// <summary>
/// The llama.cpp commit LLamaSharp 0.30.0 binds, and whether a library's build stamp says it is that commit.
/// LLamaSharp declares llama.cpp's functions with P/Invoke signatures fixed at this commit; a library from another
/// commit may load and then corrupt memory or abort on the first changed struct, so it is refused before loading.
/// </summary>
public static partial class LlamaCppBuild
{
    /// <summary>
    /// llama.cpp commit of LLamaSharp 0.30.0: its package README's version table, and the stamp its bundled
    /// libggml-base.so reports (ggml_commit() = "815a2a591", ggml_version() = "0.18.0").
    /// </summary>
    public const string BoundCommit = "815a2a5915f22ce6a760c676389c5dfe8535c08f";

    /// <summary>The ggml version of <see cref="BoundCommit"/>.</summary>
    public const string BoundGgmlVersion = "0.18.0";

    /// <summary>Short form used in messages (git's default abbreviation at this repository size).</summary>
    public static string BoundShort => BoundCommit[..9];

    private const string DirtySuffix = "-dirty";

    /// <summary>
    /// Checks the stamp ggml_commit() returns: `git rev-parse --short HEAD` of the source folder at build time,
    /// "-dirty" appended when ggml/ had uncommitted changes, "unknown" when the folder was not a git checkout.
    /// A short hash of 7 or more characters matches when it is a prefix of <see cref="BoundCommit"/>.
    /// </summary>
    public static CommitCheck Check(string? stamp)
    {
        var reported = (stamp ?? "").Trim();
        var modified = reported.EndsWith(DirtySuffix, StringComparison.Ordinal);
        var hash = modified ? reported[..^DirtySuffix.Length] : reported;
        if (hash.Length == 0 || hash == "unknown")
        {
            return new(false, modified, $"it reports llama.cpp commit '{reported}' (built from a folder that was not a git " +
                $"checkout), so it cannot be told to be {BoundShort}; build it from a git checkout of that commit");
        }
        if (!ShortHash().IsMatch(hash) || !BoundCommit.StartsWith(hash, StringComparison.OrdinalIgnoreCase))
        {
            return new(false, modified, $"it was built from llama.cpp {reported}, but LLamaSharp 0.30.0 binds {BoundShort} " +
                $"({BoundCommit}); rebuild it from that commit");
        }
        return new(true, modified, modified
            ? $"llama.cpp {hash} with local changes in ggml/ (stamp '{reported}')"
            : $"llama.cpp {hash}, the commit LLamaSharp binds");
    }

    [GeneratedRegex("^[0-9a-fA-F]{7,40}$")]
    private static partial Regex ShortHash();
}

/// <summary>What <see cref="LlamaCppBuild.Check"/> found.</summary>
/// <param name="IsBound">The stamp names the bound commit.</param>
/// <param name="Modified">The stamp carries "-dirty": ggml/ had uncommitted changes when it was built.</param>
/// <param name="Explanation">A sentence for logs and error messages.</param>
public readonly record struct CommitCheck(bool IsBound, bool Modified, string Explanation);
