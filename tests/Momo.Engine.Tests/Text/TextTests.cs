using System.Text;
using Momo.Engine.Text;

namespace Momo.Engine.Tests.Text;

/// <summary>Streaming text never splits a character and never leaks a stop string.</summary>
public sealed class TextTests
{
    [Fact]
    public void A_character_split_across_tokens_is_emitted_whole_once_complete()
    {
        var decoder = new IncrementalUtf8Decoder();
        var bytes = Encoding.UTF8.GetBytes("é🍑");
        Assert.Equal("", decoder.Push(bytes.AsSpan(0, 1)));
        Assert.Equal("é", decoder.Push(bytes.AsSpan(1, 2)));
        Assert.Equal("", decoder.Push(bytes.AsSpan(3, 2)));
        Assert.Equal("🍑", decoder.Push(bytes.AsSpan(5)));
        Assert.Equal("", decoder.Flush());
    }

    [Fact]
    public void Invalid_bytes_become_replacement_characters_instead_of_an_error()
    {
        var decoder = new IncrementalUtf8Decoder();
        var text = decoder.Push([0x61, 0xFF, 0x62]) + decoder.Push([0xE3, 0x81]) + decoder.Flush();
        Assert.Equal("a\uFFFDb\uFFFD", text);
    }

    [Fact]
    public void A_stop_string_spread_over_three_pushes_stops_and_is_not_emitted()
    {
        var matcher = new StopSequenceMatcher(["END!"]);
        Assert.Equal(("hello ", false), matcher.Push("hello E"));
        Assert.Equal(("", false), matcher.Push("N"));
        Assert.Equal(("", true), matcher.Push("D! and more"));
    }

    [Fact]
    public void Held_text_that_does_not_complete_a_stop_string_is_released()
    {
        var matcher = new StopSequenceMatcher(["END!"]);
        Assert.Equal(("a ", false), matcher.Push("a EN"));
        Assert.Equal(("ENd", false), matcher.Push("d"));
        Assert.Equal(("x", false), matcher.Push("x"));
        Assert.Equal(("", false), matcher.Push("E"));
        Assert.Equal("E", matcher.Flush());
    }

    [Fact]
    public void The_earliest_of_several_stop_strings_wins()
    {
        var matcher = new StopSequenceMatcher(["world", "lo w"]);
        Assert.Null(matcher.Matched);
        Assert.Equal(("hel", true), matcher.Push("hello world"));
        Assert.Equal("lo w", matcher.Matched);
    }
}
