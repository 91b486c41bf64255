using System.Diagnostics;
using System.Globalization;
using Backprop.Nn.Persistence;
using Xunit.Abstractions;

namespace Backprop.DeployTests;

/// <summary>
/// A run whose disk fills up stops with an error that says so and names the file, and leaves the
/// previous checkpoint whole: once there is room again, <c>--resume</c> continues from it to the same
/// model bytes as a run that never failed.
/// </summary>
[Collection(DeployTierFactAttribute.Collection)]
public sealed class FullRunFolderTests(ITestOutputHelper output) : IDisposable
{
    private const int CheckpointEvery = 20;

    // 63 steps an epoch: the checkpoint at step 20 is the first, the one at step 40 the write that fails.
    private static readonly string[] Job = ["train", "--data", "builtin:fashion-mnist-small", "--epochs", "2", "--batch", "64", "--checkpoint-every", CheckpointEvery.ToString(CultureInfo.InvariantCulture), "--threads", "1", "--no-progress"];
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("backprop-full-disk-");

    [DeployTierFact]
    public void A_run_folder_that_fills_up_should_stop_the_run_with_a_clear_error_and_keep_the_previous_checkpoint()
    {
        var clock = Stopwatch.StartNew();
        string reference = Path.Combine(_folder.FullName, "reference");
        BackpropCli.Check([.. Job, "--run-dir", reference]);
        long checkpointBytes = new FileInfo(Path.Combine(reference, "checkpoint.bpk")).Length;

        // The atomic write keeps the old checkpoint until the new one is whole, so a second needs room for
        // two: one and a half fit the first (and the small config and log files) but not the second.
        long size = checkpointBytes + (checkpointBytes / 2);
        using var disk = new TmpfsMount(Path.Combine(_folder.FullName, "disk"), size);
        string runDir = Path.Combine(disk.Path, "run");
        string checkpoint = Path.Combine(runDir, "checkpoint.bpk");

        var (code, text) = BackpropCli.Run([.. Job, "--run-dir", runDir]);

        Assert.True(code == 1, $"exit {code}:\n{text}");
        Assert.Contains($"error: Could not write '{checkpoint}': the disk holding '{runDir}' is full. Any file that was there before is unchanged.", text, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(runDir, "*.tmp"));
        // The product's reader checks every byte against the checksum: the file is the whole first checkpoint.
        Assert.Equal(CheckpointEvery, TrainingCheckpoint.Load(checkpoint).State.Step);

        disk.Resize(4 * checkpointBytes);
        string resumed = BackpropCli.Check("train", "--resume", "--run-dir", runDir, "--no-progress");
        Assert.Contains($"resumed from {checkpoint} at epoch 1, step {CheckpointEvery}", resumed, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(reference, "model.bpm")), File.ReadAllBytes(Path.Combine(runDir, "model.bpm")));
        output.WriteLine($"checkpoint {checkpointBytes:N0} bytes, tmpfs {size:N0} bytes; {clock.Elapsed.TotalSeconds:F1} s");
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
