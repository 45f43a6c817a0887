using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Momo.Server.Configuration;
using Momo.Server.Hosting;
using Momo.Server.Telemetry;
using Momo.Server.Tools;
using Momo.Server.Validation;

namespace Momo.Server.Generation;

/// <summary>
/// The one path from a <see cref="GenerationIntent"/> to a running generation, for every dialect: the served model
/// is checked once, the limits once, tools become the prompt's tool text and the output grammar, the conversation is
/// rendered with the model's template and tokenized, and the engine request is submitted. Dialects only translate
/// into an intent and out of an <see cref="Answer"/> or <see cref="AnswerEvent"/>s.
/// </summary>
internal sealed class GenerationPipeline(RuntimeHolder holder, IOptions<LimitOptions> limits, RequestSummaryLog log)
{
    /// <summary>Starts generating <paramref name="intent"/> as request <paramref name="id"/>.</summary>
    public GenerationCall Start(GenerationIntent intent, string id, CancellationToken aborted)
    {
        var prompt = Prepare(intent);
        var mayCall = intent.Tools.MayCall;
        var request = GenerationRequestFactory.Create(intent, prompt.Tokens, prompt.Runtime, id) with
        {
            Grammar = ToolGrammar.Build(intent.Tools, prompt.Syntax),
            // request_success names an answer that called tools tool_calls, as the answer itself does.
            StopLabel = mayCall ? text => AnswerReader.StopLabel(text, prompt.Syntax) : null,
        };
        var grammarParam = mayCall ? "tools" : intent.Tools.FormatParam;
        return GenerationCall.Start(prompt.Runtime, request, prompt.Text, log, grammarParam, mayCall ? prompt.Syntax : null, aborted);
    }

    /// <summary>The prompt's token count, exactly as <see cref="Start"/> would submit it (count_tokens, input_tokens).</summary>
    public int CountPromptTokens(GenerationIntent intent)
    {
        var prompt = Prepare(intent);
        ToolGrammar.Build(intent.Tools, prompt.Syntax); // the same refusals as a generation: a schema it cannot serve is a 400
        return prompt.Tokens.Length;
    }

    /// <summary>
    /// The prompt text <see cref="Start"/> would decode for <paramref name="intent"/>, after the same model and limit
    /// checks (/apply-template): a chat rendered with the tools' text and the model's template, or the raw prompt.
    /// </summary>
    public string RenderPrompt(GenerationIntent intent) => Render(intent).Text;

    private PreparedPrompt Prepare(GenerationIntent intent)
    {
        var (runtime, text, syntax) = Render(intent);
        // Chat templates write special tokens as text, so a rendered chat is tokenized with them parsed; a raw prompt is not.
        var tokens = runtime.Text.Tokenize(text, addBos: true, parseSpecial: intent.Prompt is IntentPrompt.Chat);
        RequestLimitCheck.CheckPrompt(tokens.Length, limits.Value, intent.Fields.Prompt);
        return new PreparedPrompt(runtime, text, tokens, syntax);
    }

    private RenderedPrompt Render(GenerationIntent intent)
    {
        var runtime = holder.Require();
        GenerationRequestFactory.CheckModel(intent.Model, runtime);
        RequestLimitCheck.CheckIntent(intent, limits.Value);
        var syntax = ToolCallSyntax.For(ToolCallSyntax.Detect(runtime.Text.ChatTemplate));
        return intent.Prompt switch
        {
            IntentPrompt.Chat chat => new(runtime, runtime.Text.RenderChat(ToolPromptRenderer.Render(chat.Turns, intent.Tools.PromptTools, syntax)), syntax),
            IntentPrompt.Raw raw => new(runtime, raw.Text, ToolCallSyntax.Generic),
            _ => throw new InvalidOperationException("unknown prompt kind"),
        };
    }

    private sealed record RenderedPrompt(ModelRuntime Runtime, string Text, ToolCallSyntax Syntax);

    [SuppressMessage("Performance", "CA1819", Justification = "The prompt's tokens, made once here and handed to the engine request; never changed.")]
    private sealed record PreparedPrompt(ModelRuntime Runtime, string Text, int[] Tokens, ToolCallSyntax Syntax);
}
