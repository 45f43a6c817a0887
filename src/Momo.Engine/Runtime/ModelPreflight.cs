using Momo.Gguf;

namespace Momo.Engine.Runtime;

/// <summary>
/// Checks model files before llama.cpp sees them: llama.cpp aborts the whole process (GGML_ASSERT) on some bad
/// vocabularies, and three tiers that do not share a tokenizer would make speculation meaningless.
/// </summary>
internal static class ModelPreflight
{
    /// <summary>Throws <see cref="ModelLoadException"/> naming the file and the first problem found.</summary>
    public static void Check(string targetPath, string? qualifierPath, string? draftPath)
    {
        var target = ReadVocabulary(Tier.Target.ToName(), targetPath);
        foreach (var (tier, path) in new[] { (Tier.Qualifier.ToName(), qualifierPath), (Tier.Draft.ToName(), draftPath) })
        {
            if (path is null)
            {
                continue;
            }
            var vocabulary = ReadVocabulary(tier, path);
            if (VocabularyValidator.FirstDifference(target, vocabulary) is { } difference)
            {
                throw new ModelLoadException(
                    $"The {tier} model ({path}) does not share the target's tokenizer ({targetPath}): {difference}. " +
                    "All three tiers must come from one model family.");
            }
        }
    }

    private static GgufVocabulary ReadVocabulary(string tier, string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"The {tier} model file does not exist: {path}");
        }
        GgufVocabulary vocabulary;
        try
        {
            vocabulary = GgufVocabulary.FromMetadata(GgufReader.ReadFile(path).Metadata);
        }
        catch (Exception invalid) when (invalid is not ModelLoadException)
        {
            throw new ModelLoadException($"The {tier} model is not a readable GGUF file ({path}): {invalid.Message}", invalid);
        }
        var problems = VocabularyValidator.Validate(vocabulary);
        if (problems.Count > 0)
        {
            throw new ModelLoadException($"The {tier} model's vocabulary would crash llama.cpp ({path}): {problems[0]}");
        }
        return vocabulary;
    }
}

/// <summary>A model file that cannot be served, with a message saying why.</summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelLoadException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ModelLoadException(string message, Exception inner) : base(message, inner)
    {
    }
}
