using System.CommandLine;
using Backprop.Cli.Commands;

namespace Backprop.Cli.Tests;

/// <summary>Runs the <c>backprop</c> command in-process with its output and errors captured.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = BackpropCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
