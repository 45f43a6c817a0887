using Momo.Engine.Speculation;

namespace Momo.Engine.Tests.Speculation;

public sealed class NgramLookupTests
{
    [Fact]
    public void The_continuation_of_the_latest_earlier_occurrence_of_the_suffix_is_proposed()
    {
        int[] text = [1, 2, 3, 4, 9, 1, 2, 3, 5, 6, 7, 1, 2, 3];
        var proposals = new int[3];

        var count = new NgramLookup().Propose(text, proposals);

        Assert.Equal(3, count);
        Assert.Equal([5, 6, 7], proposals); // after the latest "1 2 3", not the first
    }

    [Fact]
    public void The_longest_matching_suffix_wins_over_a_more_recent_shorter_one()
    {
        int[] text = [7, 8, 9, 10, 11, 3, 8, 9, 12, 7, 8, 9];
        var proposals = new int[2];

        var count = new NgramLookup().Propose(text, proposals);

        Assert.Equal(2, count);
        Assert.Equal([10, 11], proposals); // "7 8 9" matched, not the later "8 9"
    }

    [Fact]
    public void A_suffix_never_matches_itself_and_no_earlier_occurrence_proposes_nothing()
    {
        Assert.Equal(0, new NgramLookup().Propose([1, 2, 3, 4, 5], new int[4]));
        Assert.Equal(0, new NgramLookup().Propose([1], new int[4]));
    }

    [Fact]
    public void Text_in_a_loop_is_proposed_past_its_end_as_the_loop_goes_on()
    {
        int[] text = [9, 1, 2, 3, 1, 2, 3];
        var proposals = new int[7];

        var count = new NgramLookup().Propose(text, proposals);

        Assert.Equal(7, count); // "1 2 3" ended at 4; after it come 1 2 3, and then the loop again
        Assert.Equal([1, 2, 3, 1, 2, 3, 1], proposals);
    }

    [Fact]
    public void The_index_grows_with_the_text_and_finds_matches_in_generated_tokens()
    {
        var lookup = new NgramLookup();
        var text = new List<int> { 1, 2, 3 };
        var proposals = new int[4];
        Assert.Equal(0, lookup.Propose(text.ToArray(), proposals));
        text.AddRange([4, 5, 2, 3]);

        var count = lookup.Propose(text.ToArray(), proposals);

        Assert.Equal(4, count); // "2 3" occurred at 1..3, followed by everything after it
        Assert.Equal([4, 5, 2, 3], proposals);
    }
}
