using Microsoft.Extensions.Options;
using Momo.Server.Configuration;

namespace Momo.Server.Hosting;

/// <summary>
/// Binds and validates the options once before the host starts, so that a bad setting (<c>Momo__ContextSize=abc</c>,
/// an unknown <c>Momo:DefaultMode</c>) ends start-up with one line naming it and a non-zero exit code, instead of the
/// host's "Hosting failed to start" and an unhandled exception's stack trace.
/// </summary>
internal static partial class StartupConfiguration
{
    /// <summary>Why the configuration cannot be served, in one line; null when it can.</summary>
    public static string? Refusal(IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<MomoOptions>>().Value;
            _ = services.GetRequiredService<IOptions<LimitOptions>>().Value;
            return null;
        }
        catch (OptionsValidationException invalid)
        {
            return string.Join(" ", invalid.Failures);
        }
        catch (InvalidOperationException unbindable)
        {
            // The configuration binder's, which names the key and the value: "Failed to convert configuration value
            // 'abc' at 'Momo:ContextSize' to type 'System.Int32'."
            return unbindable.Message;
        }
    }

    /// <summary>Logs the refusal as the one line an operator reads.</summary>
    public static void LogRefusal(ILogger logger, string reason) => LogRefused(logger, reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Invalid configuration, not starting: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
