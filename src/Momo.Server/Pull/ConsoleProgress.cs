using System.Diagnostics;
using System.Globalization;

namespace Momo.Server.Pull;

/// <summary>
/// A one-line progress bar for one file: <c>[#########-----------]  45%  1.23 / 2.71 GiB  38.2 MiB/s  name</c>.
/// On a terminal it redraws in place; into a file or pipe it writes a line every 10 %, so logs stay readable.
/// </summary>
internal sealed class ConsoleProgress(TextWriter output, string label, long total, bool interactive) : IProgress<long>
{
    private const int Width = 30;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _startBytes = -1;
    private TimeSpan _lastDraw = TimeSpan.MinValue;
    private int _lastDecile = -1;

    /// <inheritdoc />
    public void Report(long value)
    {
        if (_startBytes < 0)
        {
            _startBytes = value; // bytes resumed from disk do not count towards the speed
        }
        var fraction = total == 0 ? 1 : Math.Clamp((double)value / total, 0, 1);
        var done = value >= total;
        if (interactive)
        {
            if (!done && _clock.Elapsed - _lastDraw < TimeSpan.FromMilliseconds(100))
            {
                return;
            }
            _lastDraw = _clock.Elapsed;
            output.Write("\r" + Line(value, fraction) + (done ? Environment.NewLine : ""));
            return;
        }
        var decile = (int)(fraction * 10);
        if (decile != _lastDecile)
        {
            _lastDecile = decile;
            output.WriteLine(Line(value, fraction));
        }
    }

    private string Line(long value, double fraction)
    {
        var filled = (int)Math.Round(fraction * Width);
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        var speed = (value - _startBytes) / seconds / (1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('-', Width - filled)}] {fraction * 100,3:F0}%  {Gib(value)} / {Gib(total)} GiB  {speed,6:F1} MiB/s  {label}");
    }

    private static string Gib(long bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("F2", CultureInfo.InvariantCulture);
}
