using Momo.Forge;
using Momo.Gguf;

namespace Momo.Testing;

/// <summary>Token ids of a forged family's files, read from the target's GGUF (as any client of a real model would
/// learn them from the model card).</summary>
public static class FamilyTokens
{
    /// <summary>The id of the token whose text is <paramref name="text"/> in the target's vocabulary.</summary>
    public static int Id(ForgedFamily family, string text)
    {
        var tokens = GgufReader.ReadFile(family.TargetPath).Metadata.GetStringArray(GgufKeys.Tokens);
        var id = Array.IndexOf(tokens, text);
        return id >= 0 ? id : throw new KeyNotFoundException($"'{text}' is not a token of {family.TargetPath}");
    }
}
