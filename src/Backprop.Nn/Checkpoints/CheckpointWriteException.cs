namespace Backprop.Nn.Checkpoints;

/// <summary>
/// A model or checkpoint that could not be written (missing folder, read-only folder, full disk, a folder
/// where the file should be). Whatever was at the path before is still there, unchanged.
/// </summary>
public sealed class CheckpointWriteException : Exception
{
    /// <summary>Creates the error for <paramref name="path"/>.</summary>
    /// <param name="path">The file that was to be written.</param>
    /// <param name="cause">Why it failed, in plain words.</param>
    /// <param name="innerException">The I/O error behind it, if any.</param>
    public CheckpointWriteException(string path, string cause, Exception? innerException = null)
        : base($"Could not write '{path}': {cause}. Any file that was there before is unchanged.", innerException)
    {
        FilePath = path;
        Cause = cause;
    }

    /// <summary>Creates the error with no path.</summary>
    public CheckpointWriteException()
        : this("checkpoint", "unknown cause")
    {
    }

    /// <summary>Creates the error with no path.</summary>
    /// <param name="message">The cause.</param>
    public CheckpointWriteException(string message)
        : this("checkpoint", message)
    {
    }

    /// <summary>Creates the error with no path.</summary>
    /// <param name="message">The cause.</param>
    /// <param name="innerException">The I/O error behind it.</param>
    public CheckpointWriteException(string message, Exception innerException)
        : this("checkpoint", message, innerException)
    {
    }

    /// <summary>The file that was to be written.</summary>
    public string FilePath { get; }

    /// <summary>Why it failed, in plain words.</summary>
    public string Cause { get; }
}
