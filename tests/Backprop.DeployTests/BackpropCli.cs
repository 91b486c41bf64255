namespace Backprop.DeployTests;

/// <summary>The real <c>backprop</c> command, run to its end from the test binaries' folder.</summary>
internal static class BackpropCli
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "backprop.dll");

    /// <summary>Runs it; stdout and stderr come back interleaved.</summary>
    public static (int Code, string Output) Run(params string[] args)
    {
        using var shell = Shell.Start("dotnet", [Dll, .. args], workingDirectory: AppContext.BaseDirectory);
        int code = shell.WaitForExit(Limit);
        return (code, shell.Output);
    }

    /// <summary>Runs it and fails the test unless it exits 0.</summary>
    public static string Check(params string[] args)
    {
        var (code, output) = Run(args);
        Assert.True(code == 0, $"backprop {string.Join(' ', args)} exited {code}:\n{output}");
        return output;
    }
}
