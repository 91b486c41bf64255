using System.Diagnostics;
using Backprop.Nn.Jobs;
using Backprop.Nn.Tests.Checkpoints;

namespace Backprop.Nn.Tests.Jobs;

public sealed class RunFolderLockTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void A_held_folder_should_refuse_a_second_holder_until_released()
    {
        Assert.False(RunFolderLock.IsHeld(_folder.Path));
        using (var held = RunFolderLock.Acquire(_folder.Path, "backprop train"))
        {
            Assert.True(RunFolderLock.IsHeld(_folder.Path));
            Assert.Null(RunFolderLock.TryAcquire(_folder.Path, "a second run"));
            var refused = Assert.Throws<RunFolderInUseException>(() => RunFolderLock.Acquire(_folder.Path, "a third run"));
            Assert.Equal(_folder.Path, refused.RunDirectory);
            Assert.Contains($"the run folder {_folder.Path} is in use", refused.Message, StringComparison.Ordinal);
            Assert.Equal(RunFolderLock.PathIn(_folder.Path), held.FilePath);
        }

        Assert.False(RunFolderLock.IsHeld(_folder.Path));
        using var again = RunFolderLock.TryAcquire(_folder.Path, "the next run");
        Assert.NotNull(again);
    }

    [Fact]
    public void The_file_should_name_its_holder_while_held_and_be_empty_once_free()
    {
        var held = RunFolderLock.Acquire(_folder.Path, "backprop coordinator akka.tcp://backprop@10.0.0.1:4053");
        string named = ReadAsAnotherProcessWould(held.FilePath);
        Assert.Contains("backprop coordinator akka.tcp://backprop@10.0.0.1:4053", named, StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId}", named, StringComparison.Ordinal);

        held.Dispose();
        held.Dispose();
        Assert.Equal(0, new FileInfo(held.FilePath).Length);
    }

    [Fact]
    public void A_probe_should_create_nothing_in_a_folder_never_locked()
    {
        Assert.False(RunFolderLock.IsHeld(_folder.Path));
        Assert.False(RunFolderLock.IsHeld(_folder.File("no-such-folder")));
        Assert.Empty(_folder.FileNames());
    }

    [Fact]
    public void A_lock_held_by_another_process_should_count_and_be_free_once_that_process_is_killed()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // flock(1) takes the same kind of lock from another process, as a second trainer would (holding it
        // itself: --close keeps it from its child).
        string path = RunFolderLock.PathIn(_folder.Path);
        File.WriteAllText(path, string.Empty);
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "--close", path, "sleep", "60"]) { UseShellExecute = false })!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!RunFolderLock.IsHeld(_folder.Path))
            {
                Assert.False(holder.HasExited, "flock(1) ended before it held the lock");
                Assert.True(DateTime.UtcNow < deadline, "flock(1) did not take the lock within 20 s");
                Thread.Sleep(20);
            }

            Assert.Null(RunFolderLock.TryAcquire(_folder.Path, "a second run"));

            // However the holder ends (here SIGKILL), the kernel lets its lock go: nothing stale is left.
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
            using var taken = RunFolderLock.TryAcquire(_folder.Path, "the run that takes over");
            Assert.NotNull(taken);
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill(entireProcessTree: true);
            }
        }
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>The bytes on disk, as `cat` reads them: .NET's own readers take a shared lock and are refused.</summary>
    private static string ReadAsAnotherProcessWould(string path)
    {
        using var cat = Process.Start(new ProcessStartInfo("cat", [path]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        string text = cat.StandardOutput.ReadToEnd();
        cat.WaitForExit();
        return text;
    }
}
