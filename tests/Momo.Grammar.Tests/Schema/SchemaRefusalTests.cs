using System.Text.Json;

namespace Momo.Grammar.Tests.Schema;

public sealed class SchemaRefusalTests
{
    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"not":{"type":"string"}}}}""", "/properties/a/not")]
    [InlineData("""{"type":"array","uniqueItems":true}""", "/uniqueItems")]
    [InlineData("""{"type":"number","multipleOf":0.5}""", "/multipleOf")]
    [InlineData("""{"type":"object","properties":{"p":{"type":"string","pattern":"(?=a)b"}}}""", "/properties/p/pattern")]
    [InlineData("""{"type":"string","pattern":"(a)\\1"}""", "/pattern")]
    [InlineData("""{"type":"string","pattern":"a+?"}""", "/pattern")]
    [InlineData("""{"type":"string","pattern":"a^b"}""", "/pattern")]
    [InlineData("""{"type":"object","patternProperties":{"^(a$":{}}}""", "/patternProperties/^(a$")]
    [InlineData("""{"$ref":"https://example.com/schema.json"}""", "/$ref")]
    [InlineData("""{"$ref":"#/$defs/missing"}""", "/$ref")]
    [InlineData("""{"allOf":[{"type":"string"},{"maxLength":3}]}""", "/allOf")]
    [InlineData("""{"type":"array","items":[{"type":"string"}]}""", "/items")]
    [InlineData("""{"type":"array","prefixItems":[{"type":"string"}]}""", "/prefixItems")]
    [InlineData("""{"type":"strin"}""", "/type")]
    [InlineData("""{"type":"string","minLength":5,"maxLength":2}""", "/minLength")]
    [InlineData("""{"type":"integer","minimum":3,"maximum":2}""", "")]
    [InlineData("""{"type":"integer","exclusiveMinimum":1,"exclusiveMaximum":2}""", "")]
    [InlineData("""{"type":"object","properties":{"a/b":{"if":{}}}}""", "/properties/a~1b/if")]
    [InlineData("""{"anyOf":[{"type":"string"},false]}""", "/anyOf/1")]
    [InlineData("""{"type":"string","pattern":"^[a-z]{2}$","minLength":3}""", "/pattern")]
    [InlineData("""{"$defs":{"a":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}""", "")]
    [InlineData("""{"type":"object","propertyNames":{"type":"integer"}}""", "/propertyNames/type")]
    [InlineData("""{"type":"object","propertyNames":{"anyOf":[{"const":"a"}]}}""", "/propertyNames/anyOf")]
    [InlineData("""{"type":"object","minProperties":1}""", "/minProperties")]
    public void An_unsupported_or_unsatisfiable_schema_is_refused_with_the_json_pointer_of_the_keyword(string schema, string keywordPointer)
    {
        var failure = Assert.Throws<GrammarException>(() => OutputGrammar.JsonSchema(JsonDocument.Parse(schema).RootElement).Compiled);
        Assert.Equal(keywordPointer, failure.SchemaPath);
        Assert.False(string.IsNullOrWhiteSpace(failure.Message));
    }

    [Theory]
    [InlineData("""{"type":"string","format":"date-time","description":"when","title":"t","default":"x","examples":["y"]}""")]
    [InlineData("""{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"urn:x","type":"boolean"}""")]
    [InlineData("""true""")]
    [InlineData("""{}""")]
    [InlineData("""{"definitions":{"n":{"type":"integer"}},"type":"array","items":{"$ref":"#/definitions/n"}}""")]
    [InlineData("""{"type":"number","minimum":0,"exclusiveMinimum":true}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","~optional":true,"x-order":2,"markdownDescription":"m"}}}""")]
    [InlineData("""{"type":"object","propertyNames":{"type":"string"},"additionalProperties":{"type":"integer"}}""")]
    public void Annotations_and_supported_forms_compile(string schema)
    {
        _ = OutputGrammar.JsonSchema(JsonDocument.Parse(schema).RootElement).Compiled;
    }

    [Fact]
    public void A_lazy_grammar_inside_another_grammar_is_refused()
    {
        var inner = OutputGrammar.Lazy(["<x>"], OutputGrammar.Literal("<x>1"));
        Assert.Throws<GrammarException>(() => OutputGrammar.Sequence(OutputGrammar.Literal("a"), inner).Compiled);
    }
}
