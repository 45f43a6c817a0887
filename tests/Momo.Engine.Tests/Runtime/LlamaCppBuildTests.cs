using Momo.Engine.Runtime;

namespace Momo.Engine.Tests.Runtime;

/// <summary>Which ggml_commit() stamps count as the llama.cpp commit LLamaSharp binds, and what a refusal says.</summary>
public sealed class LlamaCppBuildTests
{
    [Theory]
    [InlineData("815a2a5")]
    [InlineData("815a2a591")]
    [InlineData("815A2A5915F22CE6A760C676389C5DFE8535C08F")]
    public void A_short_or_full_stamp_of_the_bound_commit_matches(string stamp)
    {
        var check = LlamaCppBuild.Check(stamp);

        Assert.True(check.IsBound, check.Explanation);
        Assert.False(check.Modified);
    }

    [Fact]
    public void A_dirty_stamp_of_the_bound_commit_matches_and_is_marked_modified()
    {
        var check = LlamaCppBuild.Check("815a2a591-dirty");

        Assert.True(check.IsBound, check.Explanation);
        Assert.True(check.Modified);
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("")]
    [InlineData(null)]
    public void A_build_without_a_commit_stamp_is_refused_because_its_commit_cannot_be_told(string? stamp)
    {
        var check = LlamaCppBuild.Check(stamp);

        Assert.False(check.IsBound);
        Assert.Contains("cannot be told", check.Explanation, StringComparison.Ordinal);
        Assert.Contains("git checkout", check.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c0c7e147e")]
    [InlineData("815a2a")]
    [InlineData("815a2a591x")]
    public void Another_commit_or_a_stamp_too_short_to_tell_is_refused_naming_both_commits(string stamp)
    {
        var check = LlamaCppBuild.Check(stamp);

        Assert.False(check.IsBound);
        Assert.Contains(stamp, check.Explanation, StringComparison.Ordinal);
        Assert.Contains(LlamaCppBuild.BoundCommit, check.Explanation, StringComparison.Ordinal);
    }
}
