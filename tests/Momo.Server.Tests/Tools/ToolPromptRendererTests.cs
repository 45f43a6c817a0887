using Momo.Engine.Runtime;
using Momo.Server.Generation;
using Momo.Server.Tools;

namespace Momo.Server.Tests.Tools;

/// <summary>Tools, assistant tool calls and tool results written into each family's chat format.</summary>
public sealed class ToolPromptRendererTests
{
    private const string HermesToolsIntro =
        "# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>\n";

    private const string HermesToolsOutro =
        "\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n"
        + "<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>";

    private const string ChatMl =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private const string Llama3 =
        "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    private const string Mistral =
        "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% endif %}{% endfor %}";

    [Theory]
    [InlineData(Llama3, "Llama3")]
    [InlineData(ChatMl, "Hermes")]
    [InlineData("chatml", "Hermes")]
    [InlineData(Mistral, "Mistral")]
    [InlineData("{{ bos_token }}{% for message in messages %}{{ '<start_of_turn>' + message['role'] + '\\n' + message['content'] + '<end_of_turn>\\n' }}{% endfor %}", "Generic")]
    public void The_format_is_recognised_from_the_template_markers(string template, string expected)
    {
        Assert.Equal(Enum.Parse<ChatFormat>(expected), ToolCallSyntax.Detect(template));
    }

    [Fact]
    public void Hermes_lists_tools_in_the_system_turn_writes_calls_in_tool_call_tags_and_results_in_one_user_turn()
    {
        var rendered = ToolPromptRenderer.Render(ToolTestData.Conversation, ToolTestData.Offer().Tools, ToolCallSyntax.Hermes);

        Assert.Equal(
            [
                ("system", "Be brief.\n\n" + HermesToolsIntro + ToolTestData.WeatherPrompt + "\n" + ToolTestData.TimePrompt + HermesToolsOutro),
                ("user", "Weather and time in Paris?"),
                ("assistant", "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>\n"
                    + "<tool_call>\n{\"name\": \"get_time\", \"arguments\": {\"zone\": \"CET\"}}\n</tool_call>"),
                ("user", "<tool_response>\n18 C\n</tool_response>\n<tool_response>\n14:05\n</tool_response>"),
            ],
            rendered);
    }

    [Fact]
    public void Hermes_renders_through_a_chatml_template_to_the_exact_prompt()
    {
        var pairs = ToolPromptRenderer.Render(ToolTestData.Conversation, ToolTestData.Offer().Tools, ToolCallSyntax.Hermes);

        var prompt = ChatTemplates.TryRender(ChatMl, pairs);

        Assert.Equal(
            "<|im_start|>system\nBe brief.\n\n" + HermesToolsIntro + ToolTestData.WeatherPrompt + "\n" + ToolTestData.TimePrompt + HermesToolsOutro + "<|im_end|>\n"
            + "<|im_start|>user\nWeather and time in Paris?<|im_end|>\n"
            + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>\n"
            + "<tool_call>\n{\"name\": \"get_time\", \"arguments\": {\"zone\": \"CET\"}}\n</tool_call><|im_end|>\n"
            + "<|im_start|>user\n<tool_response>\n18 C\n</tool_response>\n<tool_response>\n14:05\n</tool_response><|im_end|>\n"
            + "<|im_start|>assistant\n",
            prompt);
    }

    [Fact]
    public void Llama3_lists_tools_in_the_system_turn_writes_calls_as_json_objects_and_results_in_ipython_turns()
    {
        var pairs = ToolPromptRenderer.Render(ToolTestData.Conversation, ToolTestData.Offer().Tools, ToolCallSyntax.Llama3);

        var prompt = ChatTemplates.TryRender(Llama3, pairs);

        Assert.Equal(
            "<|start_header_id|>system<|end_header_id|>\n\nBe brief.\n\n"
            + "Given the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.\n\n"
            + "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}. Do not use variables.\n\n"
            + ToolTestData.WeatherPrompt + "\n\n" + ToolTestData.TimePrompt + "<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nWeather and time in Paris?<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}\n"
            + "{\"name\": \"get_time\", \"parameters\": {\"zone\": \"CET\"}}<|eot_id|>"
            + "<|start_header_id|>ipython<|end_header_id|>\n\n18 C<|eot_id|>"
            + "<|start_header_id|>ipython<|end_header_id|>\n\n14:05<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n",
            prompt);
    }

    [Fact]
    public void Mistral_lists_tools_before_the_last_instruction_writes_tool_calls_arrays_and_tool_results_blocks()
    {
        var rendered = ToolPromptRenderer.Render(ToolTestData.Conversation, ToolTestData.Offer().Tools, ToolCallSyntax.Mistral);

        Assert.Equal(
            [
                ("system", "Be brief."),
                ("user", "[AVAILABLE_TOOLS][" + ToolTestData.WeatherPrompt + ", " + ToolTestData.TimePrompt + "][/AVAILABLE_TOOLS]Weather and time in Paris?"),
                ("assistant", "[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}, {\"name\": \"get_time\", \"arguments\": {\"zone\": \"CET\"}}]"),
                ("user", "[TOOL_RESULTS]{\"call_id\": \"call_1\", \"content\": \"18 C\"}[/TOOL_RESULTS][TOOL_RESULTS]{\"call_id\": \"call_2\", \"content\": \"14:05\"}[/TOOL_RESULTS]"),
            ],
            rendered);
    }

    [Fact]
    public void The_generic_format_writes_hermes_tags_and_adds_a_system_turn_when_there_is_none()
    {
        var rendered = ToolPromptRenderer.Render(ToolTestData.Conversation.Skip(1).ToList(), ToolTestData.Offer().Tools, ToolCallSyntax.Generic);

        Assert.Equal(("system", HermesToolsIntro + ToolTestData.WeatherPrompt + "\n" + ToolTestData.TimePrompt + HermesToolsOutro), rendered[0]);
        Assert.Equal(("user", "<tool_response>\n18 C\n</tool_response>\n<tool_response>\n14:05\n</tool_response>"), rendered[^1]);
    }

    [Fact]
    public void Without_tools_the_conversation_passes_unchanged()
    {
        IReadOnlyList<ChatTurn> chat = [new("system", "s", []), new("user", "u", []), new("assistant", "a", [])];

        Assert.Equal([("system", "s"), ("user", "u"), ("assistant", "a")], ToolPromptRenderer.Render(chat, [], ToolCallSyntax.Hermes));
    }

    public static TheoryData<string> Formats => new() { "Llama3", "Hermes", "Mistral", "Generic" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_call_the_model_wrote_renders_back_as_history_exactly_as_written(string format)
    {
        var syntax = ToolCallSyntax.For(Enum.Parse<ChatFormat>(format));
        var emitted = "Checking both.\n" + syntax.Block([("get_weather", "{\"city\": \"Par\\\"is}\"}"), ("get_time", "{ \"zone\" : \"UTC\" }")]);

        var reader = new AnswerReader(syntax);
        var builder = new AnswerBuilder();
        builder.Add(reader.Feed(emitted));
        var (held, end) = reader.Finish(Momo.Engine.Results.FinishReason.Stop, null, new Momo.Engine.Results.GenerationStatistics { Mode = "target_only" });
        builder.Add(held);
        var answer = builder.Build(end);
        Assert.Equal(AnswerFinish.ToolCalls, answer.End.Finish);
        var history = new ChatTurn("assistant", answer.Text, [.. answer.Calls.Select(c => new HistoryCall(null, c.Name, c.Arguments))]);
        var rendered = ToolPromptRenderer.Render([new("user", "q", []), history], [], syntax);

        Assert.Equal(emitted, rendered[1].Content);
    }
}
