using System.Diagnostics.CodeAnalysis;
using Momo.Engine.Runtime;
using Momo.Gguf;

namespace Momo.Engine.Tests.Preflight;

/// <summary>Runs the server's model preflight over bytes and checks how it ended.</summary>
public static class Preflight
{
    /// <summary>Null when the file passes; else the <see cref="GgufException"/> message. Any other ending (another
    /// exception type, or allocating more than a small multiple of the file's size) fails the test.</summary>
    [SuppressMessage("Design", "CA1031", Justification = "Any other exception is the failure under test: it is reported with the corpus file's label.")]
    public static string? Run(byte[] bytes, string label)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            ModelPreflight.Inspect(stream, "target", label);
            return null;
        }
        catch (ModelLoadException refused)
        {
            Assert.True(refused.InnerException is GgufException or null,
                $"{label}: the preflight ended in {refused.InnerException?.GetType().Name}, not its own exception: {refused.InnerException}");
            return refused.InnerException?.Message ?? refused.Message;
        }
        catch (Exception other)
        {
            Assert.Fail($"{label}: the preflight threw {other.GetType().Name}: {other}");
            return null;
        }
        finally
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated <= MemoryBound(bytes.Length), $"{label}: the preflight allocated {allocated} bytes for a {bytes.Length}-byte file");
        }
    }

    /// <summary>What checking a file may allocate: a small multiple of its size (strings and arrays are materialised) plus a constant.</summary>
    public static long MemoryBound(long fileLength) => (16 * fileLength) + (1 << 20);
}
