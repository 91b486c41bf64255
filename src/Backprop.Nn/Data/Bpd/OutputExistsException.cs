namespace Backprop.Nn.Data.Bpd;

/// <summary>A file to write exists already and replacing it was not asked for.</summary>
public sealed class OutputExistsException : IOException
{
    /// <summary>Creates the error for a file.</summary>
    /// <param name="path">The existing file.</param>
    public OutputExistsException(string path)
        : base($"{path} already exists; not replacing it.")
    {
        FilePath = path;
    }

    /// <summary>Creates the error with no file.</summary>
    public OutputExistsException()
        : this("(unknown file)")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public OutputExistsException(string message, Exception innerException)
        : base(message, innerException)
    {
        FilePath = "(unknown file)";
    }

    /// <summary>The existing file.</summary>
    public string FilePath { get; }
}
