using System.Text.Json;

namespace Momo.Engine.Constraints;

/// <summary>Compiles a JSON schema to grammar nodes (placeholder until the matcher lands).</summary>
internal static class JsonSchemaCompiler
{
    public static GrammarNode Compile(JsonElement schema) => throw new GrammarException("JSON schemas are not compiled yet.", "");

    public static GrammarNode AnyObject() => throw new GrammarException("JSON objects are not compiled yet.", "");
}
