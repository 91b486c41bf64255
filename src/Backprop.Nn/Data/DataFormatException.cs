namespace Backprop.Nn.Data;

/// <summary>
/// A data file that cannot be read as what it claims to be. The message names the file, the place
/// (<see cref="Location"/>), what was found and what was expected, so a user can fix the file without a debugger.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the error for a place in a file.</summary>
    /// <param name="filePath">The file (or <c>builtin:NAME</c>) at fault.</param>
    /// <param name="location">Where in it, e.g. <c>line 17, column "petal width"</c> or <c>byte 16</c>; empty for the whole file.</param>
    /// <param name="problem">What is wrong and what was expected.</param>
    /// <param name="innerException">The cause, if another exception revealed the problem.</param>
    public DataFormatException(string filePath, string location, string problem, Exception? innerException = null)
        : base(Compose(filePath, location, problem), innerException)
    {
        FilePath = filePath;
        Location = location;
        Problem = problem;
    }

    /// <summary>Creates the error with no file.</summary>
    public DataFormatException()
        : this("(unknown file)", "", "the data is malformed.")
    {
    }

    /// <summary>Creates the error with no file.</summary>
    /// <param name="message">The message.</param>
    public DataFormatException(string message)
        : this("(unknown file)", "", message)
    {
    }

    /// <summary>Creates the error with no file.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DataFormatException(string message, Exception innerException)
        : this("(unknown file)", "", message, innerException)
    {
    }

    /// <summary>The file (or <c>builtin:NAME</c>) at fault.</summary>
    public string FilePath { get; }

    /// <summary>Where in the file, e.g. <c>line 17, column "petal width"</c> or <c>byte 16</c>; empty for the whole file.</summary>
    public string Location { get; }

    /// <summary>What is wrong and what was expected, without the file and location.</summary>
    public string Problem { get; }

    private static string Compose(string filePath, string location, string problem) =>
        location.Length == 0 ? $"{filePath}: {problem}" : $"{filePath}, {location}: {problem}";
}
