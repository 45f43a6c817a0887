using Momo.Engine.Sampling;

namespace Momo.Engine.Speculation;

/// <summary>
/// The test a verifying stage applies to a run of proposals. The engine always uses
/// <see cref="SpeculativeSampling.Verify"/>; the seam exists so the engine's exactness tests can wire in a broken
/// rule and prove they would catch one.
/// </summary>
internal delegate VerifyOutcome AcceptanceRule(
    ReadOnlySpan<int> proposed, ReadOnlySpan<float> proposal, ReadOnlySpan<float> verifier, int vocabulary, RequestRandom random);
