using System.Text;
using System.Text.Json;
using Json.Schema;

namespace Momo.Testing;

/// <summary>The independent check of constrained output: JsonSchema.Net (draft 2020-12) evaluating a document against the schema; a document that is not JSON is invalid.</summary>
public static class SchemaValidator
{
    public static bool IsValid(string schema, byte[] document) => IsValid(schema, Encoding.UTF8.GetString(document));

    public static bool IsValid(string schema, string document)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(document);
        }
        catch (JsonException)
        {
            return false;
        }
        using (parsed)
        {
            var compiled = JsonSchema.FromText(schema, new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012 });
            return compiled.Evaluate(parsed.RootElement, new EvaluationOptions()).IsValid;
        }
    }
}
