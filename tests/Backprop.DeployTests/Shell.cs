using System.Diagnostics;
using System.Text;

namespace Backprop.DeployTests;

/// <summary>A program run to its end or in the background, its output collected.</summary>
internal sealed class Shell : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(int End, long At)> _lines = [];

    private Shell(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, string? workingDirectory)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryRoot.Path,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Standard output and error, interleaved as they came.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// When the line holding character <paramref name="index"/> of <see cref="Output"/> was read (a
    /// <see cref="Stopwatch"/> timestamp): how long a milestone took, however late a test looked for it.
    /// </summary>
    public long ArrivalOf(int index)
    {
        lock (_output)
        {
            return _lines.First(line => line.End > index).At;
        }
    }

    public static Shell Start(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        new(file, args, environment, workingDirectory);

    /// <summary>Runs to the end; a run past <paramref name="timeout"/> is killed and fails the test.</summary>
    public static (int Code, string Output) Run(string file, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var shell = Start(file, args, environment);
        int code = shell.WaitForExit(timeout);
        return (code, shell.Output);
    }

    /// <summary>Runs to the end and fails the test unless it exits 0.</summary>
    public static string Check(string file, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (code, output) = Run(file, args, timeout, environment);
        Assert.True(code == 0, $"{file} {string.Join(' ', args)} exited {code}:\n{output}");
        return output;
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_process.StartInfo.FileName} {string.Join(' ', _process.StartInfo.ArgumentList)} did not finish within {timeout}:\n{Output}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends a Unix signal (15: SIGTERM) to the program.</summary>
    public void Signal(int signal) =>
        Check("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            _lines.Add((_output.Length, Stopwatch.GetTimestamp()));
        }
    }
}
