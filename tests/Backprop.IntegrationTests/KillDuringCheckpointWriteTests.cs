using Xunit.Abstractions;

namespace Backprop.IntegrationTests;

/// <summary>
/// SIGKILL in the middle of a checkpoint write, then <c>--resume</c>: the half-written temporary file is
/// cleared away and the model is byte-identical to an uninterrupted run's. A kill lands mid-write only by
/// chance, so the test kills runs until the temporary file one leaves behind proves it did.
/// </summary>
public sealed class KillDuringCheckpointWriteTests(ITestOutputHelper output) : IDisposable
{
    private const int Attempts = 15;

    /// <summary>The name <c>CheckpointFile.WriteAtomic</c> gives its temporary file beside the checkpoint.</summary>
    private const string Unfinished = ".checkpoint.bpk.*.tmp";

    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    // A checkpoint after every step: a write (1.9 MB, checksummed, flushed to disk) takes longer than a
    // step, so most of the run is spent inside one and a kill at a random moment usually lands there.
    private static readonly string[] Job = ["train", "--data", "builtin:fashion-mnist-small", "--epochs", "2", "--batch", "64", "--checkpoint-every", "1", "--threads", "1", "--no-progress"];
    private readonly Workspace _workspace = new();

    [Fact]
    public void A_run_killed_while_writing_a_checkpoint_should_resume_to_the_same_model_bytes()
    {
        string reference = _workspace.File("reference");
        var (code, _, stderr) = BackpropProcess.Run(_workspace.Path, Long, [.. Job, "--run-dir", reference]);
        Assert.True(code == 0, stderr);
        byte[] expected = File.ReadAllBytes(Path.Combine(reference, "model.bpm"));
        long checkpointBytes = new FileInfo(Path.Combine(reference, "checkpoint.bpk")).Length;

        string? runDir = KillUntilAWriteIsCutShort();
        Assert.True(
            runDir is not null,
            $"none of {Attempts} kills landed during a checkpoint write (no {Unfinished} file was left): has the temporary file's name or the cost of a write changed?");
        string leftover = Assert.Single(Directory.GetFiles(runDir, Unfinished));
        output.WriteLine($"the leftover {Path.GetFileName(leftover)} holds {new FileInfo(leftover).Length:N0} of a checkpoint's {checkpointBytes:N0} bytes");

        var resumed = BackpropProcess.Run(_workspace.Path, Long, "train", "--resume", "--run-dir", runDir, "--no-progress");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        // Starting over would also give the same bytes: only this line shows the checkpoint was used.
        Assert.Contains("resumed from", resumed.Stdout, StringComparison.Ordinal);
        Assert.True(
            expected.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(runDir, "model.bpm"))),
            $"the resumed model differs from the uninterrupted one\n{resumed.Stdout}");
        Assert.Empty(Directory.GetFiles(runDir, "*.tmp"));
    }

    public void Dispose() => _workspace.Dispose();

    /// <summary>Runs the job and kills it, again and again, until a kill leaves a checkpoint's temporary file.</summary>
    /// <returns>The run folder of the run whose checkpoint write was cut short, or null if no kill landed in one.</returns>
    private string? KillUntilAWriteIsCutShort()
    {
        for (int attempt = 1; attempt <= Attempts; attempt++)
        {
            string runDir = _workspace.File($"killed-{attempt}");
            // Varied so that the kills fall at different points of the write-step cycle, and early
            // enough that the run (about a second from here) is still going.
            int delayMs = 10 + (attempt * 37 % 160);
            using (var process = BackpropProcess.Start(_workspace.Path, [.. Job, "--run-dir", runDir]))
            {
                // Once the first checkpoint is in place the run is past its start-up, writing every step.
                TrainingWorkflowTests.WaitFor(() => File.Exists(Path.Combine(runDir, "checkpoint.bpk")), process);
                Thread.Sleep(delayMs);
                process.Signal(9);
                process.WaitForExit(Long);
            }

            if (Directory.GetFiles(runDir, Unfinished).Length > 0)
            {
                output.WriteLine($"attempt {attempt} (kill {delayMs} ms after the first checkpoint) landed during a checkpoint write");
                return runDir;
            }
        }

        return null;
    }
}
