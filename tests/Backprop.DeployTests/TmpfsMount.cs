using System.Globalization;

namespace Backprop.DeployTests;

/// <summary>
/// A small tmpfs mounted on a folder of the test's own: a disk that is full, or read-only, exactly when
/// the test says. Needs root.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(30);

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> (rounded up to whole pages) on <paramref name="path"/>.</summary>
    public TmpfsMount(string path, long bytes)
    {
        Directory.CreateDirectory(path);
        Shell.Check("mount", ["-t", "tmpfs", "-o", Size(bytes), "tmpfs", path], Quick);
        Path = path;
    }

    public string Path { get; }

    /// <summary>Grows or shrinks the file system; the files on it stay.</summary>
    public void Resize(long bytes) => Shell.Check("mount", ["-o", "remount," + Size(bytes), Path], Quick);

    /// <summary>Remounts it read-only, which no one, root included, can write through.</summary>
    public void MakeReadOnly() => Shell.Check("mount", ["-o", "remount,ro", Path], Quick);

    /// <summary>
    /// Lazily, so that a process a failed test left holding a file open cannot keep the mount alive; and
    /// without checking, so that a failure here cannot hide the test's own.
    /// </summary>
    public void Dispose() => Shell.Run("umount", ["--lazy", Path], Quick);

    private static string Size(long bytes) => "size=" + bytes.ToString(CultureInfo.InvariantCulture);
}
