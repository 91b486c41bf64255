namespace Backprop.Nn.Checkpoints;

/// <summary>
/// A model or checkpoint that cannot be loaded: missing, unreadable, not a backprop file, from a newer
/// version, of another kind, truncated, corrupt, or lacking a section the caller needs. The message names
/// the file and says what is wrong in plain words.
/// </summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates the error for the file or message named <paramref name="sourceName"/>.</summary>
    /// <param name="sourceName">The path of the file, or a name for bytes that came from elsewhere.</param>
    /// <param name="message">The whole message, which names the source.</param>
    /// <param name="innerException">The I/O error behind it, if any.</param>
    public CheckpointFormatException(string sourceName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        SourceName = sourceName;
    }

    /// <summary>Creates the error with no source.</summary>
    public CheckpointFormatException()
        : this("checkpoint", "The checkpoint cannot be loaded.")
    {
    }

    /// <summary>Creates the error with no source.</summary>
    /// <param name="message">The message.</param>
    public CheckpointFormatException(string message)
        : this("checkpoint", message)
    {
    }

    /// <summary>Creates the error with no source.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CheckpointFormatException(string message, Exception innerException)
        : this("checkpoint", message, innerException)
    {
    }

    /// <summary>The path of the file, or the name given for in-memory bytes.</summary>
    public string SourceName { get; }
}
