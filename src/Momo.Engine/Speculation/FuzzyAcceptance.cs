using System.Diagnostics.CodeAnalysis;
using Momo.Engine.Sampling;

namespace Momo.Engine.Speculation;

/// <summary>Result of the relaxed inner test.</summary>
/// <param name="Outcome">Accepted count and the next (recovered or bonus) token, as for the exact test.</param>
/// <param name="Relaxed">[accepted] true where a proposal was accepted outright because the distributions were close;
/// the token's true distribution there is the proposal's (u), elsewhere the verifier's (v).</param>
[SuppressMessage("Performance", "CA1819", Justification = "The relaxed test allocated these flags for this one result and handed them over; the qualifier reads them per position with no copy.")]
internal sealed record FuzzyOutcome(VerifyOutcome Outcome, bool[] Relaxed);

/// <summary>
/// The relaxed draft → qualifier test after PyramidSD (arXiv 2510.12966), opt-in: at a position where the
/// total-variation distance between the proposal u and the verifier v is at most τ, the proposal is accepted outright;
/// elsewhere the exact rule applies. The decision depends on the two rows only, so every qualified token's true
/// distribution is known: u where relaxed, v elsewhere. The target verifies each token against that distribution, so
/// the output still follows the target exactly (the chi-square tests show it). PyramidSD's own rule, which verifies
/// relaxed tokens against v, is lossy and is not offered.
/// </summary>
internal static class FuzzyAcceptance
{
    /// <summary>Verifies with the relaxed rule; see <see cref="SpeculativeSampling.Verify"/> for the shapes.</summary>
    public static FuzzyOutcome Verify(
        ReadOnlySpan<int> proposed, ReadOnlySpan<float> proposal, ReadOnlySpan<float> verifier, int vocabulary, double threshold,
        RequestRandom random)
    {
        var relaxed = new List<bool>();
        for (var i = 0; i < proposed.Length; i++)
        {
            var u = proposal.Slice(i * vocabulary, vocabulary);
            var v = verifier.Slice(i * vocabulary, vocabulary);
            if (TotalVariation(u, v) <= threshold)
            {
                relaxed.Add(true);
                continue;
            }
            if (!SpeculativeSampling.Accepts(proposed[i], u, v, random))
            {
                return new FuzzyOutcome(new VerifyOutcome(i, SpeculativeSampling.SampleResidual(u, v, random), false), [.. relaxed]);
            }
            relaxed.Add(false);
        }
        var bonus = random.SampleFrom(verifier.Slice(proposed.Length * vocabulary, vocabulary));
        return new FuzzyOutcome(new VerifyOutcome(proposed.Length, bonus, true), [.. relaxed]);
    }

    /// <summary>Total-variation distance ½ Σ |u − v|.</summary>
    public static double TotalVariation(ReadOnlySpan<float> u, ReadOnlySpan<float> v)
    {
        var sum = 0.0;
        for (var t = 0; t < u.Length; t++)
        {
            sum += Math.Abs(u[t] - v[t]);
        }
        return sum / 2;
    }
}
