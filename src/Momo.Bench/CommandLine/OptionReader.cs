using System.Globalization;

namespace Momo.Bench.CommandLine;

/// <summary>
/// Walks command-line arguments option by option for the bench's parsers: the option's name, then its value read on
/// demand; every refusal is an <see cref="ArgumentException"/> naming the option.
/// </summary>
internal sealed class OptionReader(IReadOnlyList<string> args)
{
    private int _next;

    /// <summary>The option being read.</summary>
    public string Name { get; private set; } = "";

    /// <summary>Moves to the next option; false after the last.</summary>
    public bool MoveNext()
    {
        if (_next >= args.Count)
        {
            return false;
        }
        Name = args[_next++];
        return true;
    }

    /// <summary>The option's value (the next argument).</summary>
    public string Value() => _next < args.Count ? args[_next++] : throw new ArgumentException($"{Name} needs a value");

    /// <summary>The option's value as a positive integer.</summary>
    public int PositiveInt() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
        ? v : throw new ArgumentException($"{Name} needs a positive integer");
}
