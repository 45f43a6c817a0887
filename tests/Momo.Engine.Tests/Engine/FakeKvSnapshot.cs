using Momo.Engine.Runtime;

namespace Momo.Engine.Tests.Engine;

/// <summary>A fake tier's saved sequence: the tokens its cache held, and a size in bytes as a real tier's would have.</summary>
internal sealed class FakeKvSnapshot(string tier, int[] tokens, long bytesPerToken) : KvSnapshot
{
    public string Tier => tier;
    public int[] Tokens => tokens;
    public override long Bytes => tokens.Length * bytesPerToken;
}
