using System.Text;
using Momo.Grammar.Masks;
using Momo.Grammar.Matching;
using Momo.Testing;

namespace Momo.Grammar.Tests.Schema;

public sealed class SchemaConformanceTests
{
    private static readonly Lazy<GrammarVocabulary> Vocabulary = new(() => new GrammarTestVocabulary().Index());

    public static TheoryData<string> Names => [.. ConformanceSchema.All.Select(s => s.Name)];

    private static ConformanceSchema Get(string name) => ConformanceSchema.All.Single(s => s.Name == name);

    private static CompiledGrammar Compile(ConformanceSchema schema) => OutputGrammar.JsonSchema(schema.Element).Compiled;

    [Theory]
    [MemberData(nameof(Names))]
    public void Byte_level_random_walks_only_produce_documents_the_independent_validator_accepts(string name)
    {
        var schema = Get(name);
        var grammar = Compile(schema);
        var completed = 0;
        for (var seed = 0; seed < 60; seed++)
        {
            if (RandomWalk.Bytes(grammar, new Random(seed)) is not { } document)
            {
                continue;
            }
            completed++;
            Assert.True(SchemaValidator.IsValid(schema.Schema, document), $"seed {seed}: {Encoding.UTF8.GetString(document)}");
        }
        Assert.True(completed >= 30, $"only {completed} of 60 walks finished");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Token_level_random_walks_through_the_masks_only_produce_valid_documents(string name)
    {
        var schema = Get(name);
        var grammar = Compile(schema);
        var completed = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            if (RandomWalk.Tokens(grammar, Vocabulary.Value, new Random(seed)) is not { } document)
            {
                continue;
            }
            completed++;
            Assert.True(SchemaValidator.IsValid(schema.Schema, document), $"seed {seed}: {Encoding.UTF8.GetString(document)}");
        }
        Assert.True(completed >= 20, $"only {completed} of 40 walks finished");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Documents_the_schema_rejects_are_rejected_by_the_grammar(string name)
    {
        var schema = Get(name);
        var grammar = Compile(schema);
        foreach (var document in schema.Invalid)
        {
            Assert.False(SchemaValidator.IsValid(schema.Schema, document), $"the test's invalid document is valid: {document}");
            Assert.False(Accepts(grammar, document), $"accepted: {document}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Compact_documents_in_declared_order_are_accepted(string name)
    {
        var schema = Get(name);
        var grammar = Compile(schema);
        foreach (var document in schema.Valid)
        {
            Assert.True(SchemaValidator.IsValid(schema.Schema, document), $"the test's valid document is invalid: {document}");
            Assert.True(Accepts(grammar, document), $"refused: {document}");
        }
    }

    [Fact]
    public void Any_json_object_accepts_objects_and_nothing_else()
    {
        var grammar = OutputGrammar.AnyJsonObject().Compiled;
        Assert.True(Accepts(grammar, """{"a":[1,{"b":null}],"c":"d"}"""));
        Assert.True(Accepts(grammar, "{}"));
        Assert.False(Accepts(grammar, "[]"));
        Assert.False(Accepts(grammar, "\"x\""));
        for (var seed = 0; seed < 30; seed++)
        {
            if (RandomWalk.Bytes(grammar, new Random(seed)) is { } document)
            {
                Assert.True(SchemaValidator.IsValid("""{"type":"object"}""", document), Encoding.UTF8.GetString(document));
            }
        }
    }

    [Fact]
    public void Only_the_end_of_generation_is_allowed_once_the_document_is_complete()
    {
        var grammar = OutputGrammar.JsonSchema(Get("process tool").Element).Compiled;
        var state = grammar.Advance(grammar.Start, Encoding.UTF8.GetBytes("""{"action":"list"}"""))!;
        var mask = new ulong[Vocabulary.Value.Words];
        Assert.Equal(1, TokenMasks.Compute(grammar, Vocabulary.Value, state, mask));
        Assert.Equal(1UL << GrammarTestVocabulary.EndOfText, mask[0] & 1UL);
    }

    internal static bool Accepts(CompiledGrammar grammar, string document) =>
        grammar.Advance(grammar.Start, Encoding.UTF8.GetBytes(document)) is { CanEnd: true };
}
