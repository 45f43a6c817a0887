namespace Momo.Bench.Workloads;

/// <summary>The prompt sets shipped with the benchmark (embedded text files, one prompt per line).</summary>
internal static class PromptSets
{
    /// <summary>
    /// Names of the default sets: chat questions (sent through the chat template), code-like lines and story openings.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = ["chat", "code", "story"];

    /// <summary>
    /// Every shipped set: the defaults plus "agentic" (prompts that quote a file, JSON or code and ask for an edited
    /// copy, as agents and editors do) and "long" (one ~1,400-token passage, for prefill).
    /// </summary>
    public static IReadOnlyList<string> All { get; } = [.. Names, "agentic", "long"];

    /// <summary>Returns <paramref name="set"/> when it names a shipped set; throws otherwise.</summary>
    public static string Check(string set) => All.Contains(set)
        ? set : throw new ArgumentException($"unknown prompt set '{set}'; known: {string.Join(", ", All)}");

    /// <summary>The prompts of one set.</summary>
    public static IReadOnlyList<string> Load(string set)
    {
        using var stream = typeof(PromptSets).Assembly.GetManifestResourceStream($"prompts.{Check(set)}.txt")
            ?? throw new InvalidOperationException($"prompt set '{set}' is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Every prompt of the chosen sets, interleaved set by set so any prefix of the list mixes the sets.</summary>
    public static IReadOnlyList<(string Set, string Text)> Mixed(IReadOnlyList<string> sets)
    {
        var loaded = sets.Select(s => (Set: s, Prompts: Load(s))).ToArray();
        var longest = loaded.Max(l => l.Prompts.Count);
        var mixed = new List<(string, string)>();
        for (var i = 0; i < longest; i++)
        {
            foreach (var (set, prompts) in loaded)
            {
                if (i < prompts.Count)
                {
                    mixed.Add((set, prompts[i]));
                }
            }
        }
        return mixed;
    }
}
