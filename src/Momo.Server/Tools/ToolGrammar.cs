using System.Text.Json;
using Momo.Grammar;
using Momo.Server.Contracts;

namespace Momo.Server.Tools;

/// <summary>
/// The grammar a request's output must follow: tool calls in the model's own syntax (forced for
/// <c>required</c> and a named function, behind the syntax's trigger for <c>auto</c>), or the response format's
/// JSON. A schema the compiler refuses is a 400 naming the request field, with the schema path in the message.
/// </summary>
internal static class ToolGrammar
{
    /// <summary>The grammar for <paramref name="request"/>, or null for free text.</summary>
    public static OutputGrammar? Build(ToolRequest request, ToolCallSyntax syntax)
    {
        if (request.MayCall)
        {
            var calls = Calls(request, syntax);
            return request.Choice == ToolChoiceKind.Auto ? OutputGrammar.Lazy([syntax.Trigger], calls) : calls;
        }
        return request.Format switch
        {
            ResponseFormatKind.JsonObject => Compile(OutputGrammar.AnyJsonObject, request.FormatParam),
            ResponseFormatKind.JsonSchema => Compile(() => OutputGrammar.JsonSchema(request.Schema!.Value), request.SchemaParam),
            _ => null,
        };
    }

    // BlockOpen, one call, then (Separator, call) repeated when parallel calls are allowed, then BlockClose; a call
    // is one of the offered functions with its name fixed and its arguments under its schema.
    private static OutputGrammar Calls(ToolRequest request, ToolCallSyntax syntax)
    {
        var offered = request.Choice == ToolChoiceKind.Named ? request.Tools.Where(t => t.Name == request.NamedFunction) : request.Tools;
        var call = OutputGrammar.Choice([.. offered.Select(t => Call(t, syntax))]);
        var parts = new List<OutputGrammar>();
        AddLiteral(parts, syntax.BlockOpen);
        parts.Add(call);
        if (request.ParallelCalls && request.Choice != ToolChoiceKind.Named)
        {
            parts.Add(OutputGrammar.Repeat(OutputGrammar.Sequence(OutputGrammar.Literal(syntax.Separator), call), 0, int.MaxValue));
        }
        AddLiteral(parts, syntax.BlockClose);
        return OutputGrammar.Sequence([.. parts]);
    }

    private static OutputGrammar Call(ToolDefinition tool, ToolCallSyntax syntax)
    {
        // A function declared without parameters still receives a JSON object of arguments, as OpenAI's does.
        var arguments = tool.Parameters is { } schema
            ? Compile(() => OutputGrammar.JsonSchema(schema), tool.SchemaParam)
            : Compile(OutputGrammar.AnyJsonObject, tool.SchemaParam);
        return OutputGrammar.Sequence(
            OutputGrammar.Literal(syntax.CallOpen + tool.Name + syntax.ArgumentsKey), arguments, OutputGrammar.Literal(syntax.CallClose));
    }

    private static void AddLiteral(List<OutputGrammar> parts, string text)
    {
        if (text.Length > 0)
        {
            parts.Add(OutputGrammar.Literal(text));
        }
    }

    private static OutputGrammar Compile(Func<OutputGrammar> compile, string param)
    {
        try
        {
            return compile();
        }
        catch (GrammarException refused)
        {
            var where = string.IsNullOrEmpty(refused.SchemaPath) ? "" : $" at {refused.SchemaPath}";
            throw ApiException.Invalid($"{param} cannot be used for constrained output{where}: {refused.Message}", param, "invalid_schema");
        }
        catch (Exception failure) when (failure is InvalidOperationException or JsonException or ArgumentException)
        {
            // A compiler bug or a hostile string must still answer 400 naming the field, never 500.
            throw ApiException.Invalid($"{param} cannot be used for constrained output: {failure.Message}", param, "invalid_schema");
        }
    }
}
