namespace Momo.Bench.CommandLine;

/// <summary>The start every bench command shares: <c>--help</c> prints its text, a bad option its refusal (exit 2).</summary>
internal static class CommandOptions
{
    /// <summary>The parsed options, or the exit code to return at once (0 after --help, 2 after a refusal).</summary>
    public static (T? Options, int? Exit) Read<T>(IReadOnlyList<string> args, string help, Func<IReadOnlyList<string>, T> parse)
        where T : class
    {
        if (args.Contains("--help"))
        {
            Console.WriteLine(help);
            return (null, 0);
        }
        try
        {
            return (parse(args), null);
        }
        catch (ArgumentException bad)
        {
            Console.Error.WriteLine(bad.Message);
            return (null, 2);
        }
    }
}
