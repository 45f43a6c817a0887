using System.Globalization;
using Momo.Grammar.Matching;

namespace Momo.Grammar.Schema;

/// <summary>Bounds on a JSON number; null = unbounded on that side.</summary>
internal sealed record NumberConstraints(bool Integer, decimal? Minimum, bool MinimumExclusive, decimal? Maximum, bool MaximumExclusive);

/// <summary>
/// A JSON number written without an exponent: <c>-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,12})?</c> (integers without the
/// fraction). A digit is allowed only if some completion of the text so far is a number within the bounds, so the
/// matcher never reaches a dead end. The digit limits keep a model from writing digits forever and keep the
/// arithmetic exact in <see cref="decimal"/>: every reachable value is a multiple of 10⁻¹² below 10¹⁵.
/// </summary>
internal sealed class NumberLexeme : Lexeme
{
    public const int MaxIntegerDigits = 15;
    public const int MaxFractionDigits = 12;
    private const byte Start0 = 0;
    private const byte AfterMinus = 1;
    private const byte IntegerDigits = 2;
    private const byte AfterPoint = 3;
    private const byte FractionDigits = 4;
    private static readonly decimal Limit = 1_000_000_000_000_000m; // 10^15: no value reaches it

    private readonly NumberConstraints _bounds;
    private readonly decimal _unit;

    public NumberLexeme(NumberConstraints bounds, string path)
    {
        _bounds = bounds;
        _unit = bounds.Integer ? 1m : 0.000_000_000_001m;
        if (!Feasible((NumberState)Start))
        {
            throw new GrammarException(
                $"No {(bounds.Integer ? "integer" : "number")} lies within the bounds [{Show(bounds.Minimum)}, {Show(bounds.Maximum)}].", path);
        }
    }

    public override object Start { get; } = new NumberState(Start0, false, 0m, 0, 0m, 0);

    public override bool IsClosed(object state) => false;

    public override bool IsAccepting(object state)
    {
        var s = (NumberState)state;
        if (s.Phase is not (IntegerDigits or FractionDigits))
        {
            return false;
        }
        var value = s.Integer + s.Fraction;
        return InBounds(s.Negative ? -value : value);
    }

    public override object? Step(object state, byte value)
    {
        var s = (NumberState)state;
        var digit = value is >= (byte)'0' and <= (byte)'9' ? value - '0' : -1;
        NumberState? next = (s.Phase, value) switch
        {
            (Start0, (byte)'-') => s with { Phase = AfterMinus, Negative = true },
            (Start0 or AfterMinus, _) when digit >= 0 => s with { Phase = IntegerDigits, Integer = digit, IntegerCount = 1 },
            (IntegerDigits, _) when digit >= 0 && s.Integer != 0 && s.IntegerCount < MaxIntegerDigits =>
                s with { Integer = (s.Integer * 10) + digit, IntegerCount = s.IntegerCount + 1 },
            (IntegerDigits, (byte)'.') when !_bounds.Integer => s with { Phase = AfterPoint },
            (AfterPoint or FractionDigits, _) when digit >= 0 && s.FractionCount < MaxFractionDigits =>
                s with { Phase = FractionDigits, Fraction = s.Fraction + (digit * Power10(-(s.FractionCount + 1))), FractionCount = s.FractionCount + 1 },
            _ => null,
        };
        return next is not null && Feasible(next) ? next : null;
    }

    /// <summary>Whether some completion of <paramref name="s"/> lies within the bounds.</summary>
    private bool Feasible(NumberState s)
    {
        if (_bounds.Minimum is null && _bounds.Maximum is null)
        {
            return true;
        }
        return s.Phase switch
        {
            Start0 => Reaches(false, 0m, Limit) || Reaches(true, 0m, Limit),
            AfterMinus => Reaches(true, 0m, Limit),
            IntegerDigits when s.Integer == 0 => Reaches(s.Negative, 0m, 1m),
            IntegerDigits => IntegerPrefixReaches(s),
            AfterPoint => Reaches(s.Negative, s.Integer, s.Integer + 1),
            _ => Reaches(s.Negative, s.Integer + s.Fraction, s.Integer + s.Fraction + Power10(-s.FractionCount)),
        };
    }

    // Digits D so far: the integer part is D followed by m more digits, for m = 0.. up to the digit limit.
    private bool IntegerPrefixReaches(NumberState s)
    {
        for (var more = 0; more <= MaxIntegerDigits - s.IntegerCount; more++)
        {
            var scale = Power10(more);
            if (Reaches(s.Negative, s.Integer * scale, (s.Integer + 1) * scale))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether a multiple of the unit with magnitude in [low, high) and the given sign lies within the bounds.</summary>
    private bool Reaches(bool negative, decimal low, decimal high)
    {
        // Values: [low, high) when positive, (−high, −low] when negative.
        var (from, fromOpen, to, toOpen) = negative ? (-high, true, -low, false) : (low, false, high, true);
        if (_bounds.Minimum is { } min && (min > from || (min == from && _bounds.MinimumExclusive)))
        {
            (from, fromOpen) = (min, _bounds.MinimumExclusive);
        }
        if (_bounds.Maximum is { } max && (max < to || (max == to && _bounds.MaximumExclusive)))
        {
            (to, toOpen) = (max, _bounds.MaximumExclusive);
        }
        var first = Math.Ceiling(from / _unit) * _unit;
        if (fromOpen && first == from)
        {
            first += _unit;
        }
        return toOpen ? first < to : first <= to;
    }

    private bool InBounds(decimal value) =>
        (_bounds.Minimum is not { } min || (_bounds.MinimumExclusive ? value > min : value >= min)) &&
        (_bounds.Maximum is not { } max || (_bounds.MaximumExclusive ? value < max : value <= max));

    private static decimal Power10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            result = exponent > 0 ? result * 10 : result / 10;
        }
        return result;
    }

    private static string Show(decimal? bound) => bound?.ToString(CultureInfo.InvariantCulture) ?? "∞";

    private sealed record NumberState(byte Phase, bool Negative, decimal Integer, int IntegerCount, decimal Fraction, int FractionCount);
}
