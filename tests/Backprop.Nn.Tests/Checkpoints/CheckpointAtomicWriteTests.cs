using Backprop.Nn.Checkpoints;

namespace Backprop.Nn.Tests.Checkpoints;

/// <summary>
/// A failed write must leave the previous file whole and no temporary file behind. Root ignores file
/// permissions, so the failures are made with paths no user can write: a folder where the file should be,
/// a file where the folder should be, a folder that does not exist.
/// </summary>
public sealed class CheckpointAtomicWriteTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void WriteAtomic_should_keep_the_old_file_when_the_fill_action_throws_midway()
    {
        string path = _folder.File("run.ckpt");
        CheckpointFile.WriteAtomic(path, CheckpointKind.Checkpoint, CheckpointSamples.Fill);
        byte[] before = File.ReadAllBytes(path);

        var error = Assert.Throws<InvalidOperationException>(() => CheckpointFile.WriteAtomic(path, CheckpointKind.Checkpoint, w =>
        {
            // Enough to spill past the stream's buffer, so part of the new file really is on disk.
            w.AddFloats("params", new float[100_000]);
            throw new InvalidOperationException("the model went away");
        }));

        Assert.Equal("the model went away", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["run.ckpt"], _folder.FileNames());
    }

    [Fact]
    public void WriteAtomic_should_leave_nothing_when_the_first_write_fails()
    {
        string path = _folder.File("run.ckpt");

        Assert.Throws<ArgumentException>(() => CheckpointFile.WriteAtomic(path, CheckpointKind.Checkpoint, w => w.AddInt64("", 1)));

        Assert.Empty(_folder.FileNames());
    }

    [Fact]
    public void WriteAtomic_should_refuse_a_folder_where_the_file_should_be()
    {
        string path = _folder.File("model.bpnn");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "inside.txt"), "keep me");

        var error = Assert.Throws<CheckpointWriteException>(() => CheckpointFile.WriteAtomic(path, CheckpointKind.Model, CheckpointSamples.Fill));

        Assert.Equal($"Could not write '{path}': it is a folder, not a file. Any file that was there before is unchanged.", error.Message);
        Assert.Equal(path, error.FilePath);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(path, "inside.txt")));
        Assert.Equal(["model.bpnn"], _folder.FileNames());
    }

    [Fact]
    public void WriteAtomic_should_refuse_a_path_under_a_file()
    {
        string file = _folder.File("notes.txt");
        File.WriteAllText(file, "keep me");
        string path = Path.Combine(file, "model.bpnn");

        var error = Assert.Throws<CheckpointWriteException>(() => CheckpointFile.WriteAtomic(path, CheckpointKind.Model, CheckpointSamples.Fill));

        Assert.Equal($"Could not write '{path}': '{file}' is a file, not a folder. Any file that was there before is unchanged.", error.Message);
        Assert.Equal("keep me", File.ReadAllText(file));
        Assert.Equal(["notes.txt"], _folder.FileNames());
    }

    [Fact]
    public void WriteAtomic_should_refuse_a_missing_folder()
    {
        string folder = _folder.File("missing");
        string path = Path.Combine(folder, "model.bpnn");

        var error = Assert.Throws<CheckpointWriteException>(() => CheckpointFile.WriteAtomic(path, CheckpointKind.Model, CheckpointSamples.Fill));

        Assert.Equal($"Could not write '{path}': the folder '{folder}' does not exist. Any file that was there before is unchanged.", error.Message);
        Assert.Empty(_folder.FileNames());
    }

    [Fact]
    public void WriteAtomic_should_keep_the_old_file_when_the_rename_fails()
    {
        // The target turns into a folder while the new file is being written, which the checks made before
        // writing cannot see: the rename itself fails, after the whole temporary file was written.
        string path = _folder.File("model.bpnn");

        var error = Assert.Throws<CheckpointWriteException>(() => CheckpointFile.WriteAtomic(path, CheckpointKind.Model, w =>
        {
            CheckpointSamples.Fill(w);
            Directory.CreateDirectory(path);
            File.WriteAllText(Path.Combine(path, "inside.txt"), "keep me");
        }));

        Assert.StartsWith($"Could not write '{path}': ", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(path, "inside.txt")));
        Assert.Equal(["model.bpnn"], _folder.FileNames());
    }

    [Fact]
    public void WriteAtomic_should_keep_the_old_file_in_a_read_only_folder()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows has no read-only folders in the Unix sense; the cases above cover it.
        }

        string path = _folder.File("model.bpnn");
        CheckpointFile.WriteAtomic(path, CheckpointKind.Model, w => w.AddInt64("step", 1));
        byte[] before = File.ReadAllBytes(path);
        File.SetUnixFileMode(_folder.Path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        if (CanCreateFileIn(_folder.Path))
        {
            return; // Running as root, who may write anywhere: nothing to observe here.
        }

        var error = Assert.Throws<CheckpointWriteException>(() => CheckpointFile.WriteAtomic(path, CheckpointKind.Model, w => w.AddInt64("step", 2)));

        Assert.Contains("permission denied", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["model.bpnn"], _folder.FileNames());
    }

    private static bool CanCreateFileIn(string folder)
    {
        string probe = Path.Combine(folder, "probe");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
