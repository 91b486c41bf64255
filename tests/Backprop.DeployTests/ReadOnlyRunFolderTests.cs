using Backprop.Nn.Checkpoints;

namespace Backprop.DeployTests;

/// <summary>
/// A run folder on a read-only mount, which refuses root too (a read-only folder does not, so the unit
/// tests cannot show this as root): the run stops with an error that says so and names the path, never a
/// stack trace. The mount itself keeps the previous checkpoint as it was.
/// </summary>
[Collection(DeployTierFactAttribute.Collection)]
public sealed class ReadOnlyRunFolderTests : IDisposable
{
    private const long Roomy = 16 << 20;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("backprop-read-only-");

    [DeployTierFact]
    public void Resuming_in_a_read_only_run_folder_should_fail_with_a_clear_error()
    {
        using var disk = new TmpfsMount(Path.Combine(_folder.FullName, "disk"), Roomy);
        string runDir = Path.Combine(disk.Path, "run");
        BackpropCli.Check("train", "--data", "builtin:fashion-mnist-small", "--epochs", "1", "--threads", "1", "--no-progress", "--run-dir", runDir);
        disk.MakeReadOnly();

        var (code, text) = BackpropCli.Run("train", "--resume", "--run-dir", runDir, "--epochs", "2", "--no-progress");

        Assert.True(code == 1, $"exit {code}:\n{text}");
        // The run log is the first file the run opens for writing: the run stops there, the folder untouched.
        Assert.Contains($"error: the run folder {runDir} is on a file system mounted read-only, so nothing in it was changed;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [DeployTierFact]
    public void Writing_a_checkpoint_on_a_read_only_mount_should_say_so_and_name_the_folder()
    {
        using var disk = new TmpfsMount(Path.Combine(_folder.FullName, "disk"), Roomy);
        string path = Path.Combine(disk.Path, "checkpoint.bpk");
        disk.MakeReadOnly();

        var error = Assert.Throws<CheckpointWriteException>(() => CheckpointFile.WriteAtomic(path, CheckpointKind.Checkpoint, w => w.AddInt64("step", 1)));

        Assert.Equal($"Could not write '{path}': the file system holding '{disk.Path}' is mounted read-only. Any file that was there before is unchanged.", error.Message);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
