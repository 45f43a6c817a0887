using System.Collections.Concurrent;
using Momo.Grammar.Patterns;

namespace Momo.Grammar.Schema;

/// <summary>
/// String lexemes shared process-wide by (pattern, minLength, maxLength). A client sends the same tool schemas with
/// every request: its patterns are compiled to automata once (OpenClaw's channel schema repeats
/// <c>^[a-z][a-z0-9_-]{0,63}$</c> sixteen times), and each lexeme's cached pattern masks serve every later request.
/// </summary>
internal static class StringLexemes
{
    private const int MaxShared = 1024;
    private static readonly ConcurrentDictionary<(string? Pattern, int Min, int Max), StringLexeme> Shared = new();

    /// <summary>The lexeme for these limits; <paramref name="path"/> names the pattern keyword in errors.</summary>
    public static StringLexeme Get(string? pattern, int min, int max, string path)
    {
        var key = (pattern, min, max);
        if (Shared.TryGetValue(key, out var known))
        {
            return known;
        }
        var dfa = pattern is null ? null : RegexSubset.Compile(pattern, path);
        var lexeme = new StringLexeme(new StringConstraints(min, max, dfa), path);
        // Bounded: past the limit, schemas still compile, only without sharing.
        if (Shared.Count < MaxShared)
        {
            Shared.TryAdd(key, lexeme);
        }
        return lexeme;
    }
}
