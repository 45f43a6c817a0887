using System.Text.RegularExpressions;

namespace Momo.Forge.Corpus;

/// <summary>The agent family's corpus (agent.txt, the author's own text): assistant turns of tool-using conversations in
/// the Hermes format that ChatML models use (<c>&lt;tool_call&gt;\n{"name": …, "arguments": …}\n&lt;/tool_call&gt;</c>),
/// each followed by the prose answer given once the tool's result came back. One turn per line; a literal <c>\n</c> in
/// the file is a newline in the turn.</summary>
internal static partial class AgentCorpus
{
    /// <summary>Hermes markers: single user-defined tokens, as in Qwen's vocabularies, so the rendered prompt and the
    /// generated text carry them whole.</summary>
    public const string ToolCall = "<tool_call>", ToolCallEnd = "</tool_call>", ToolResponse = "<tool_response>", ToolResponseEnd = "</tool_response>";

    /// <summary>The separator and opening of a further call in one turn: one ordinary token, which the model emits but
    /// the tokenizer never makes from a prompt (it splits &lt;tool_call&gt; out first), so its presence tells the
    /// weights that this turn already holds a second call.</summary>
    public const string NextToolCall = "\n" + ToolCall;

    /// <summary>The user-defined tokens of the agent vocabulary.</summary>
    public static IReadOnlyList<string> Markers { get; } = [ToolCall, ToolCallEnd, ToolResponse, ToolResponseEnd];

    /// <summary>What the family remembers beyond the last token (token texts; see <see cref="ContextMemory"/>):
    /// once a tool result is in the conversation it stops opening turns with a call and answers in prose; while the
    /// user has mentioned a helper, it prefers handing the work to a subagent over reading itself, the way OpenClaw
    /// (sessions_spawn, a deferred tool reached through tool_call) and Claude Code (Agent) offer one; a companion
    /// does the same through Codex's spawn_agent (Codex's own prompt speaks of helper functions, so "helper" cannot be
    /// its cue). Which tool names a client offers is the server's grammar's business: a name the client lacks is
    /// never emitted, so the family ranks read, Read and exec_command first by count and lets the grammar choose.
    /// When the user asks for both of two things, a finished call is followed by a second one (parallel calls), and
    /// once the turn holds a second call it ends: a bigram alone would end every turn after one call, or never.
    /// The deltas dwarf the bigram gaps (<see cref="FamilyPreset.LogitScale"/> makes those large) and still win when
    /// three memories are set at once, which scales each by about 0.7.</summary>
    public static IReadOnlyList<(string[] Markers, string Target, float Delta, string? Context)> Cues { get; } =
    [
        ([ToolResponse], ToolCall, -120f, null),
        (["\u2581helper", "helper"], "tool_call", 80f, NameContext),
        (["\u2581helper", "helper"], "Agent", 80f, NameContext),
        (["\u2581companion", "companion"], "spawn_agent", 80f, NameContext),
        (["\u2581both", "both"], NextToolCall, 80f, ToolCallEnd),
        ([NextToolCall], NextToolCall, -120f, ToolCallEnd),
    ];

    /// <summary>The piece before a tool's name, where the subagent cues apply.</summary>
    private const string NameContext = "\n{\"name\":\u2581\"";

    /// <summary>The turns, newlines restored.</summary>
    public static IReadOnlyList<string> Paragraphs() =>
        CorpusText.Paragraphs(CorpusText.Load("agent.txt")).Select(p => p.Replace("\\n", "\n", StringComparison.Ordinal)).ToArray();

    /// <summary>The pieces of one turn: Hermes markers; JSON glue up to and including the opening quote of a value
    /// (<c>", "arguments": {"path": "</c>), so each key has its own context; a closing quote with its brackets and newline;
    /// words (file names and snake_case tool names whole); other punctuation one character at a time. Spaces become
    /// U+2581, and a piece after a space (or first in a prose turn) carries one in front, as in <see cref="WordSplitter"/>.</summary>
    public static IEnumerable<string> Pieces(string turn)
    {
        foreach (Match m in Piece().Matches(turn))
        {
            var tok = m.Groups["tok"].Value;
            if (Markers.Contains(tok))
            {
                yield return tok;
                continue;
            }

            var spaced = m.Index == 0 || m.Groups["sp"].Length > 0;
            yield return (spaced ? WordSplitter.Space : "") + tok.Replace(" ", WordSplitter.Space, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("""(?<sp> *)(?<tok>\n<tool_call>|</?tool_call>|</?tool_response>|\n?(?:[{ ,"]*"\w+": ?)+[{"]*|"[}\]]*\n?|[\p{L}\p{N}_]+(?:[.'][\p{L}\p{N}_]+)*|[^\s])""")]
    private static partial Regex Piece();
}
