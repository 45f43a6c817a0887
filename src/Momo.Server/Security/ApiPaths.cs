namespace Momo.Server.Security;

/// <summary>The paths that make up the API: API keys and the body limit guard them (health, metrics and docs are not).</summary>
internal static class ApiPaths
{
    /// <summary>llama-server's tokenizer routes, served at the root as llama-server serves them.</summary>
    public static readonly string[] TokenizerRoutes = ["/tokenize", "/detokenize", "/apply-template"];

    public static bool Includes(PathString path) =>
        path.StartsWithSegments("/v1") || TokenizerRoutes.Any(route => path.StartsWithSegments(route));
}
