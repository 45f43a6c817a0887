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
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Inspect(file, tier, path);
    }

    /// <summary>
    /// The whole header of one model: its layout (every metadata value and tensor entry against the file's size),
    /// the architecture's required keys and tensor shapes, and the vocabulary. Throws <see cref="ModelLoadException"/>
    /// whose inner exception is the <see cref="GgufException"/> naming the problem.
    /// </summary>
    internal static GgufVocabulary Inspect(Stream file, string tier, string path)
    {
        GgufVocabulary vocabulary;
        try
        {
            var header = GgufReader.Read(file);
            vocabulary = GgufVocabulary.FromMetadata(header.Metadata);
            var problems = VocabularyValidator.Validate(vocabulary);
            if (problems.Count > 0)
            {
                throw new ModelLoadException($"The {tier} model's vocabulary would crash llama.cpp ({path}): {problems[0]}");
            }
            ArchitectureValidator.Check(header, vocabulary.Size);
        }
        catch (GgufException invalid)
        {
            throw new ModelLoadException($"The {tier} model is not a servable GGUF file ({path}): {invalid.Message}", invalid);
        }
        catch (IOException unreadable)
        {
            throw new ModelLoadException($"The {tier} model could not be read ({path}): {unreadable.Message}", unreadable);
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
