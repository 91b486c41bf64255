using System.CommandLine;

namespace Backprop.Cli.Commands;

/// <summary>
/// <c>--verbose</c> and <c>--quiet</c>, on every command. Quiet keeps the result (the summary table
/// or JSON) and errors only, the run's log file keeps every line; verbose adds Akka's own log (cluster
/// membership, remoting) at INFO.
/// </summary>
internal static class Verbosity
{
    public static Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "More output: Akka's own log (membership, remoting) at INFO.", Recursive = true };

    public static Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Only the result and errors; progress and milestones go to the run's log file only.", Recursive = true };

    /// <summary>Whether the command was asked to be quiet (and not also verbose, which is refused).</summary>
    public static bool IsQuiet(ParseResult parse) => Check(parse) && parse.GetValue(Quiet);

    /// <summary>Akka's log level for the command line's verbosity.</summary>
    public static string AkkaLogLevel(ParseResult parse) =>
        !Check(parse) ? "WARNING" : parse.GetValue(Verbose) ? "INFO" : parse.GetValue(Quiet) ? "ERROR" : "WARNING";

    private static bool Check(ParseResult parse) =>
        parse.GetValue(Verbose) && parse.GetValue(Quiet)
            ? throw new Nn.Settings.InvalidSettingException("--quiet", "cannot go with --verbose; choose one.")
            : true;
}
