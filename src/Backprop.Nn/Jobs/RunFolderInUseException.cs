namespace Backprop.Nn.Jobs;

/// <summary>Another process trains in the run folder (it holds the folder's <see cref="RunFiles.Lock"/>); nothing was written.</summary>
public sealed class RunFolderInUseException : IOException
{
    /// <summary>Creates the error for a run folder.</summary>
    /// <param name="runDirectory">The folder in use.</param>
    public RunFolderInUseException(string runDirectory)
        : base($"the run folder {runDirectory} is in use: another process trains in it and holds its {RunFiles.Lock} ({RunFolderLock.PathIn(runDirectory)} names that process), so nothing in the folder was changed; wait for that run to end, or choose another --run-dir.")
    {
        RunDirectory = runDirectory;
    }

    /// <summary>Creates the error with no folder.</summary>
    public RunFolderInUseException()
        : this("(unknown folder)")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RunFolderInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
        RunDirectory = "(unknown folder)";
    }

    /// <summary>The folder in use.</summary>
    public string RunDirectory { get; }
}
