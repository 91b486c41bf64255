namespace Backprop.Cli.Rendering;

/// <summary>The run folder's log file: every milestone line, appended, flushed as written.</summary>
internal sealed class RunLog : IDisposable
{
    private readonly StreamWriter? _file;

    public RunLog(string? path)
    {
        if (path is not null)
        {
            _file = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        }
    }

    public void Write(string line) => _file?.WriteLine($"{DateTime.Now:yyyy-MM-dd HH:mm:ss} {line}");

    public void Dispose() => _file?.Dispose();
}
