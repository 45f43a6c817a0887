using Momo.Forge.Corpus;

namespace Momo.Forge.Tests;

public class AgentCorpusTests
{
    [Fact]
    public void A_Hermes_call_splits_into_its_marker_json_glue_name_value_and_closing_pieces()
    {
        var pieces = AgentCorpus.Pieces("<tool_call>\n{\"name\": \"read\", \"arguments\": {\"path\": \"notes.txt\"}}\n</tool_call>");
        Assert.Equal(["<tool_call>", "\n{\"name\":▁\"", "read", "\",▁\"arguments\":▁{\"path\":▁\"", "notes.txt", "\"}}\n", "</tool_call>"], pieces);
    }

    [Fact]
    public void Two_calls_in_a_row_split_with_the_separator_and_the_second_opening_as_one_piece()
    {
        var pieces = AgentCorpus.Pieces("<tool_call>\n{\"name\": \"read\", \"arguments\": {\"path\": \"a.txt\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"read\", \"arguments\": {\"path\": \"b.txt\"}}\n</tool_call>");
        Assert.Equal(["<tool_call>", "\n{\"name\":▁\"", "read", "\",▁\"arguments\":▁{\"path\":▁\"", "a.txt", "\"}}\n", "</tool_call>",
            "\n<tool_call>", "\n{\"name\":▁\"", "read", "\",▁\"arguments\":▁{\"path\":▁\"", "b.txt", "\"}}\n", "</tool_call>"], pieces);
    }

    [Fact]
    public void A_prose_turn_splits_into_words_with_their_space_marks_and_punctuation()
    {
        Assert.Equal(["▁The", "▁helper", "▁is", "▁done", ":", "▁our", "▁notes", "."], AgentCorpus.Pieces("The helper is done: our notes."));
    }

    [Fact]
    public void Every_memory_cue_names_tokens_of_the_agent_vocabulary_and_the_markers_are_user_defined()
    {
        var vocab = FamilyForge.Vocabulary(FamilyPreset.Agent);
        Assert.Equal(AgentCorpus.Cues.Count, vocab.Memories.Count);
        foreach (var marker in AgentCorpus.Markers)
        {
            Assert.Equal((int)Gguf.TokenType.UserDefined, vocab.Types[vocab.Id(marker)]);
        }
        // A lone newline must stay the byte token that starts a turn, even though JSON glue pieces begin with one.
        Assert.False(vocab.Contains("\n"));
    }
}
