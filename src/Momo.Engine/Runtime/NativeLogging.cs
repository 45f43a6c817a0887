using LLama.Native;
using Microsoft.Extensions.Logging;

namespace Momo.Engine.Runtime;

/// <summary>Sends llama.cpp's own log lines to an <see cref="ILogger"/> instead of stderr.</summary>
public static class NativeLogging
{
    private static int _configured;

    /// <summary>
    /// Routes native logs to <paramref name="logger"/>. llama.cpp has one process-wide log callback that can only be
    /// set before the native library loads, so only the first call in a process takes effect.
    /// </summary>
    public static void RouteTo(ILogger logger)
    {
        if (Interlocked.Exchange(ref _configured, 1) == 1 || NativeLibraryConfig.LLama.LibraryHasLoaded)
        {
            return;
        }
        NativeLibraryConfig.All.WithLogCallback(logger);
    }
}
