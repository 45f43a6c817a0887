namespace Momo.Grammar;

/// <summary>A JSON schema that cannot be compiled to a grammar: malformed, or outside the supported subset.</summary>
public sealed class GrammarException(string message, string schemaPath) : Exception(message)
{
    /// <summary>Where in the schema the problem is, as a JSON pointer (<c>/properties/path/pattern</c>).</summary>
    public string SchemaPath { get; } = schemaPath;
}
