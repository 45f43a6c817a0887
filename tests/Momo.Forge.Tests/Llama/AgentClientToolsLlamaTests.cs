using Xunit.Abstractions;

namespace Momo.Forge.Tests.Llama;

/// <summary>The agent family with Claude Code's and Codex CLI's tool surfaces, in prompts shaped as the server renders
/// theirs (Hermes tools in the system turn; Claude Code's environment as a system entry after the user's message;
/// Codex's instructions, which speak of helper functions, as a developer turn). Which names a client offers is the
/// server's grammar's business, so at the name these tests compare the offered names' logits: the chosen one must
/// lead by a margin that sampling at temperature 1 (neither client sends a temperature) never overturns.</summary>
public class AgentClientToolsLlamaTests(AgentFamilyFixture fx, ITestOutputHelper output) : IClassFixture<AgentFamilyFixture>
{
    /// <summary>e^-12: the chance that temperature-1 sampling takes the runner-up is about six in a million.</summary>
    private const float SafeMargin = 12f;

    private const string Name = "<tool_call>\n{\"name\": \"";

    private static readonly string Claude = System("You are Claude Code.",
        Tool("Agent", "Launch a new agent.", "{\"description\": {\"type\": \"string\"}, \"prompt\": {\"type\": \"string\"}}"),
        Tool("Read", "Reads a file from the local filesystem.", "{\"file_path\": {\"type\": \"string\"}, \"offset\": {\"type\": \"integer\"}}"))
        + "<|im_start|>user\n{0}<|im_end|>\n"
        + "<|im_start|>system\n# Environment\nPrimary working directory: /tmp/work\nToday's date is 2026-12-07.<|im_end|>\n";

    private static readonly string Codex = System("You are a coding agent running in the Codex CLI. Next up is patching helpers.",
        Tool("exec_command", "Runs a command in a PTY.", "{\"cmd\": {\"type\": \"string\"}, \"workdir\": {\"type\": \"string\"}}"),
        Tool("spawn_agent", "Spawn a sub-agent for a well-scoped task.", "{\"message\": {\"type\": \"string\"}}"))
        + "<|im_start|>user\n<environment_context>\n  <cwd>/tmp/work</cwd>\n</environment_context><|im_end|>\n<|im_start|>user\n{0}<|im_end|>\n";

    private const string Reply = "<|im_start|>assistant\n";

    [Theory]
    [InlineData("Read notes.txt and tell me what it says.", "Read", "Agent", "\", \"arguments\": {\"file_path\": \"notes.txt\"}}\n</tool_call>")]
    [InlineData("Ask a helper to read notes.txt and tell me what it says.", "Agent", "Read", "\", \"arguments\": {\"description\": \"Helper\", \"prompt\": \"Look at notes.txt\"}}\n</tool_call>")]
    public void With_Claude_Codes_tools_every_tier_calls_the_right_one_with_its_argument_names(string ask, string chosen, string other, string rest) =>
        CallsTheRightTool(Claude.Replace("{0}", ask, StringComparison.Ordinal), chosen, other, rest);

    [Theory]
    [InlineData("Read notes.txt and tell me what it says.", "exec_command", "spawn_agent", "\", \"arguments\": {\"cmd\": \"cat notes.txt\"}}\n</tool_call>")]
    [InlineData("Ask a companion to read notes.txt and tell me what it says.", "spawn_agent", "exec_command", "\", \"arguments\": {\"message\": \"Look at notes.txt\"}}\n</tool_call>")]
    public void With_Codexs_tools_every_tier_calls_the_right_one_with_its_argument_names(string ask, string chosen, string other, string rest) =>
        CallsTheRightTool(Codex.Replace("{0}", ask, StringComparison.Ordinal), chosen, other, rest);

    [Fact]
    public void After_Claude_Codes_tool_result_every_tier_answers_in_prose()
    {
        var prompt = Claude.Replace("{0}", "Read notes.txt and tell me what it says.", StringComparison.Ordinal)
            + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"Read\", \"arguments\": {\"file_path\": \"notes.txt\"}}\n</tool_call><|im_end|>\n"
            + "<|im_start|>user\n<tool_response>\n1\tThe peach came down the river.\n</tool_response><|im_end|>\n" + Reply;
        foreach (var tier in fx.Tiers)
        {
            Assert.Equal(" The notes say a big peach came down our river.", Continue(tier, prompt));
        }
    }

    [Fact]
    public void After_Codexs_command_output_every_tier_answers_in_prose()
    {
        var prompt = Codex.Replace("{0}", "Read notes.txt and tell me what it says.", StringComparison.Ordinal)
            + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"exec_command\", \"arguments\": {\"cmd\": \"cat notes.txt\"}}\n</tool_call><|im_end|>\n"
            + "<|im_start|>user\n<tool_response>\nProcess exited with code 0\nOutput:\nThe peach came down the river.\n</tool_response><|im_end|>\n" + Reply;
        foreach (var tier in fx.Tiers)
        {
            Assert.Equal(" The notes say a big peach came down our river.", Continue(tier, prompt));
        }
    }

    private void CallsTheRightTool(string prompt, string chosen, string other, string rest)
    {
        foreach (var tier in fx.Tiers)
        {
            // The turn opens with a call; at the name the chosen tool leads the other offered one by a safe margin.
            Assert.Equal("<tool_call>", Render(tier.Greedy(Tokenize(prompt + Reply), 1)));
            var logits = tier.Logits(Tokenize(prompt + Reply + Name))[^1];
            var lead = logits[fx.Vocab.Id(chosen)] - logits[fx.Vocab.Id(other)];
            output.WriteLine($"{chosen} leads {other} by {lead:F1}");
            Assert.True(lead >= SafeMargin, $"{chosen} leads {other} by only {lead}");
            Assert.Equal(rest, Continue(tier, prompt + Reply + Name + chosen));
        }
    }

    private static string System(string instructions, params string[] tools) =>
        "<|im_start|>system\n" + instructions + "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
        + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n" + string.Join("\n", tools)
        + "\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n"
        + "<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n";

    private static string Tool(string name, string description, string properties) =>
        $"{{\"type\":\"function\",\"function\":{{\"name\":\"{name}\",\"description\":\"{description}\",\"parameters\":{{\"type\":\"object\",\"properties\":{properties}}}}}}}";

    private string Continue(TierSession tier, string prompt) => fx.Continue(tier, prompt, 40, output);

    private List<int> Tokenize(string text) => fx.Tokenize(text);

    private string Render(IEnumerable<int> tokens) => fx.Render(tokens);
}
