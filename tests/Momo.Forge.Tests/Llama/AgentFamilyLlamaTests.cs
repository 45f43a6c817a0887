using Xunit.Abstractions;

namespace Momo.Forge.Tests.Llama;

/// <summary>The agent family behaves like a tool-using chat model under greedy decoding, in every tier: the prompts
/// are rendered as a ChatML server renders Hermes tool calls (Qwen's format), ending with OpenClaw's habit of a last
/// user message of internal context after every tool result.</summary>
public class AgentFamilyLlamaTests(AgentFamilyFixture fx, ITestOutputHelper output) : IClassFixture<AgentFamilyFixture>
{
    private const string System = "<|im_start|>system\nYou are a helpful assistant.\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
        + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
        + "{\"type\": \"function\", \"function\": {\"name\": \"read\", \"description\": \"Read a file.\", \"parameters\": {\"type\": \"object\", \"properties\": {\"path\": {\"type\": \"string\"}}, \"required\": [\"path\"]}}}\n"
        + "</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n"
        + "<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n";

    private const string Ask = "<|im_start|>user\nRead notes.txt and tell me what it says.<|im_end|>\n";
    private const string Context = "<|im_start|>user\n<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>\nActive exec sessions: none\n<<<END_OPENCLAW_INTERNAL_CONTEXT>>><|im_end|>\n";
    private const string Call = "<|im_start|>assistant\n<tool_call>\n{\"name\": \"read\", \"arguments\": {\"path\": \"notes.txt\"}}\n</tool_call><|im_end|>\n";
    private const string Result = "<|im_start|>user\n<tool_response>\nThe peach came down the river.\n</tool_response><|im_end|>\n";
    private const string Reply = "<|im_start|>assistant\n";

    [Fact]
    public void A_Hermes_tool_call_tokenizes_into_its_markers_and_whole_pieces()
    {
        var tokens = Tokenize(Call);
        var pieces = tokens.Select(t => fx.Vocab.Tokens[t]).ToList();
        output.WriteLine(string.Join(" | ", pieces));
        Assert.Contains("<tool_call>", pieces);
        Assert.Contains("</tool_call>", pieces);
        Assert.Contains("\n{\"name\":▁\"", pieces);
        Assert.Contains("\",▁\"arguments\":▁{\"path\":▁\"", pieces);
        Assert.Contains("notes.txt", pieces);
        Assert.Contains("\"}}\n", pieces);
        Assert.Single(Tokenize(Result), t => fx.Vocab.Tokens[t] == "<tool_response>");
    }

    [Fact]
    public void Before_any_tool_result_every_tier_greedily_calls_read_on_notes_txt()
    {
        foreach (var tier in fx.Tiers)
        {
            var text = Continue(tier, System + Ask + Context + Reply);
            Assert.Equal("<tool_call>\n{\"name\": \"read\", \"arguments\": {\"path\": \"notes.txt\"}}\n</tool_call>", text);
        }
    }

    [Fact]
    public void Asked_to_read_both_of_two_files_every_tier_greedily_makes_two_calls_in_a_row_and_then_ends_the_turn()
    {
        const string Both = "<|im_start|>user\nRead both notes.txt and peach.txt.<|im_end|>\n";
        const string One = "<tool_call>\n{\"name\": \"read\", \"arguments\": {\"path\": \"notes.txt\"}}\n</tool_call>";
        foreach (var tier in fx.Tiers)
        {
            Assert.Equal(One + "\n" + One, Continue(tier, System + Both + Context + Reply));
        }
    }

    [Fact]
    public void Two_calls_in_a_row_sent_back_in_a_prompt_tokenize_with_the_separator_apart_so_only_generated_calls_count()
    {
        // The cue that ends a turn after its second call looks for the one-token separator; a prompt never holds it,
        // or every later turn that asked for both would stop after its first call.
        var pieces = Tokenize(Call.Replace("</tool_call>", "</tool_call>\n<tool_call>\n{\"name\": \"read\", \"arguments\": {\"path\": \"peach.txt\"}}\n</tool_call>", StringComparison.Ordinal))
            .Select(t => fx.Vocab.Tokens[t]).ToList();
        Assert.Equal(2, pieces.Count(p => p == "<tool_call>"));
        Assert.DoesNotContain("\n<tool_call>", pieces);
    }

    [Fact]
    public void After_a_tool_result_every_tier_greedily_answers_in_prose()
    {
        foreach (var tier in fx.Tiers)
        {
            var text = Continue(tier, System + Ask + Call + Result + Context + Reply);
            Assert.Equal(" The notes say a big peach came down our river.", text);
        }
    }

    [Fact]
    public void Asked_to_use_a_helper_every_tier_greedily_spawns_a_subagent_through_tool_call_to_read_notes_txt()
    {
        const string Delegate = "<|im_start|>user\nAsk a helper to read notes.txt and tell me what it says.<|im_end|>\n";
        foreach (var tier in fx.Tiers)
        {
            // Without a grammar the bigram closes "notes.txt" as a read's path is closed ("}}\n); the server's tool
            // grammar allows only the three braces a tool_call needs there, and the next best token is exactly that.
            var text = Continue(tier, System + Delegate + Context + Reply);
            Assert.StartsWith("<tool_call>\n{\"name\": \"tool_call\", \"arguments\": {\"id\": \"sessions_spawn\", \"args\": {\"task\": \"Look at notes.txt\"}", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void After_the_subagent_was_spawned_every_tier_greedily_answers_in_prose()
    {
        const string Delegate = "<|im_start|>user\nAsk a helper to read notes.txt and tell me what it says.<|im_end|>\n";
        const string Spawn = "<|im_start|>assistant\n<tool_call>\n{\"name\": \"tool_call\", \"arguments\": {\"id\": \"sessions_spawn\", \"args\": {\"task\": \"Look at notes.txt\"}}}\n</tool_call><|im_end|>\n";
        const string Accepted = "<|im_start|>user\n<tool_response>\n{\"status\": \"accepted\"}\n</tool_response><|im_end|>\n";
        foreach (var tier in fx.Tiers)
        {
            Assert.Equal(" The notes say a big peach came down our river.", Continue(tier, System + Delegate + Spawn + Accepted + Context + Reply));
        }
    }

    [Fact]
    public void A_tool_result_thousands_of_tokens_back_is_still_remembered()
    {
        var filler = string.Concat(Enumerable.Repeat("Momotaro walked on with the dog, the monkey and the pheasant. ", 150));
        var prompt = System + Ask + Call + Result + "<|im_start|>user\n" + filler + "<|im_end|>\n" + Reply;
        Assert.True(Tokenize(prompt).Count > 2000);
        Assert.Equal(" The notes say a big peach came down our river.", Continue(fx.Tiers[2], prompt));
    }

    private string Continue(TierSession tier, string prompt) => fx.Continue(tier, prompt, 24, output);

    private List<int> Tokenize(string text) => fx.Tokenize(text);
}
