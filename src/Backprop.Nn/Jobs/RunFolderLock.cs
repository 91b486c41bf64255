using System.Globalization;

namespace Backprop.Nn.Jobs;

/// <summary>
/// One process at a time trains in a run folder: it holds the operating system's exclusive lock on
/// the folder's <see cref="RunFiles.Lock"/> (flock on Linux, a sharing lock on Windows) for as long as
/// it writes there. The kernel drops the lock when the process ends, however it ends, so a killed
/// trainer leaves nothing stale behind; and it holds across processes, containers sharing a volume
/// and standby coordinators alike, which is what keeps two coordinators of a split cluster from
/// running the same job at once.
/// </summary>
public sealed class RunFolderLock : IDisposable
{
    // What a refused lock reports: EWOULDBLOCK on Linux, ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION on Windows.
    private const int WouldBlock = 11;
    private const int SharingViolation = unchecked((int)0x80070020);
    private const int LockViolation = unchecked((int)0x80070021);

    private readonly FileStream _file;
    private bool _released;

    private RunFolderLock(FileStream file, string path)
    {
        _file = file;
        FilePath = path;
    }

    /// <summary>The lock file.</summary>
    public string FilePath { get; }

    /// <summary>The lock file of a run folder.</summary>
    /// <param name="runDirectory">The run folder.</param>
    public static string PathIn(string runDirectory) => Path.Combine(runDirectory, RunFiles.Lock);

    /// <summary>Takes the folder's lock, or returns null when another process holds it.</summary>
    /// <param name="runDirectory">The run folder, which must exist.</param>
    /// <param name="holder">Who takes it (written into the file, for a person who wonders who holds it).</param>
    /// <exception cref="IOException">The lock file cannot be created or opened (a read-only or full disk).</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be written by this user.</exception>
    public static RunFolderLock? TryAcquire(string runDirectory, string holder)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(holder);
        string path = PathIn(runDirectory);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            return null;
        }

        var held = new RunFolderLock(file, path);
        held.Describe(string.Create(CultureInfo.InvariantCulture, $"{holder}\npid {Environment.ProcessId} on {Environment.MachineName}, since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC\n"));
        return held;
    }

    /// <summary>Takes the folder's lock; another process holding it is an error that names the folder.</summary>
    /// <param name="runDirectory">The run folder, which must exist.</param>
    /// <param name="holder">Who takes it.</param>
    /// <exception cref="RunFolderInUseException">Another process holds it.</exception>
    public static RunFolderLock Acquire(string runDirectory, string holder) =>
        TryAcquire(runDirectory, holder) ?? throw new RunFolderInUseException(runDirectory);

    /// <summary>Whether another process holds the folder's lock now (false when the folder or its lock file does not exist).</summary>
    /// <param name="runDirectory">The run folder.</param>
    public static bool IsHeld(string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        try
        {
            // An existing file only, and a shared lock: a probe creates nothing, and takes nothing from a holder.
            using var probe = new FileStream(PathIn(runDirectory), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return false;
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Empties the file (an empty lock file is a free folder, to a person reading it) and lets the lock go.</summary>
    public void Dispose()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        Describe(string.Empty);
        _file.Dispose();
    }

    private static bool IsHeldElsewhere(IOException e) => e.HResult is WouldBlock or SharingViolation or LockViolation;

    private void Describe(string text)
    {
        // Only a note for people: a disk too full to take it must not fail the run, nor leave the lock held.
        try
        {
            _file.SetLength(0);
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
            _file.Write(bytes);
            _file.Flush();
        }
        catch (IOException)
        {
        }
    }
}
