using System.Buffers;
using Momo.Engine.Sampling;

namespace Momo.Engine.Speculation;

/// <summary>Result of verifying a run of proposals.</summary>
/// <param name="AcceptedCount">How many proposals, from the first, were accepted.</param>
/// <param name="NextToken">The token emitted after them: the recovered (residual) token on a rejection, else the bonus token.</param>
/// <param name="NextIsBonus">True when every proposal was accepted and <paramref name="NextToken"/> is the bonus.</param>
internal readonly record struct VerifyOutcome(int AcceptedCount, int NextToken, bool NextIsBonus);

/// <summary>
/// Speculative sampling (Leviathan et al. 2023, arXiv 2211.17192; Chen et al. 2023, arXiv 2302.01318): proposals
/// x_i drawn from u_i are checked against the verifier v_i in order.
/// <list type="bullet">
/// <item><b>accepted</b>: x_i is kept with probability min(1, v_i(x_i) / u_i(x_i));</item>
/// <item><b>recovered</b> (residual): at the first rejection, a token is drawn from norm(max(0, v_i − u_i)) and the run ends;</item>
/// <item><b>bonus</b>: when all are accepted, one more token is drawn from v_k.</item>
/// </list>
/// The emitted tokens are exact samples from v. With one-hot rows (greedy) this is "accept iff x = argmax v" and the
/// recovered token is argmax v. The pyramid applies it twice: draft → qualifier (v = m, u = q) and qualified → target
/// (v = p, u = the distribution each qualified token was truly drawn from; PyramidSD, arXiv 2510.12966).
/// </summary>
internal static class SpeculativeSampling
{
    /// <summary>Verifies one sequence's proposals.</summary>
    /// <param name="proposed">[k] proposed tokens.</param>
    /// <param name="proposal">[k, vocabulary] distributions the proposals were drawn from.</param>
    /// <param name="verifier">[k + 1, vocabulary] verifier distributions at each proposal's position and the bonus position.</param>
    /// <param name="vocabulary">Row length.</param>
    /// <param name="random">The request's random stream.</param>
    public static VerifyOutcome Verify(
        ReadOnlySpan<int> proposed, ReadOnlySpan<float> proposal, ReadOnlySpan<float> verifier, int vocabulary, RequestRandom random)
    {
        var k = proposed.Length;
        if (proposal.Length < k * vocabulary || verifier.Length < (k + 1) * vocabulary)
        {
            throw new ArgumentException($"need {k} proposal rows and {k + 1} verifier rows of {vocabulary}");
        }
        for (var i = 0; i < k; i++)
        {
            var u = proposal.Slice(i * vocabulary, vocabulary);
            var v = verifier.Slice(i * vocabulary, vocabulary);
            if (!Accepts(proposed[i], u, v, random))
            {
                return new VerifyOutcome(i, SampleResidual(u, v, random), NextIsBonus: false);
            }
        }
        return new VerifyOutcome(k, random.SampleFrom(verifier.Slice(k * vocabulary, vocabulary)), NextIsBonus: true);
    }

    /// <summary>The acceptance test for one proposal: true with probability min(1, v(x)/u(x)).</summary>
    public static bool Accepts(int token, ReadOnlySpan<float> u, ReadOnlySpan<float> v, RequestRandom random)
    {
        var target = v[token];
        var source = u[token];
        if (target >= source)
        {
            return true; // ratio ≥ 1: always accepted, no draw needed (greedy never consumes randomness here)
        }
        return random.NextUniform() * source < target;
    }

    /// <summary>Draws from norm(max(0, v − u)); if that mass is ~0 (v ≈ u) draws from v, which is then the same law.</summary>
    public static int SampleResidual(ReadOnlySpan<float> u, ReadOnlySpan<float> v, RequestRandom random)
    {
        // Pooled: a real vocabulary row is 0.5 MB, and rejections happen every few tokens.
        var buffer = ArrayPool<float>.Shared.Rent(v.Length);
        try
        {
            var residual = buffer.AsSpan(0, v.Length);
            var mass = 0.0;
            for (var t = 0; t < v.Length; t++)
            {
                var r = v[t] - u[t];
                residual[t] = r > 0 ? r : 0;
                mass += residual[t];
            }
            return mass > 1e-7 ? random.SampleFrom(residual) : random.SampleFrom(v);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
