namespace Backprop.IntegrationTests;

/// <summary>
/// SIGKILL at any moment, then <c>--resume</c>, must end with a model file byte-identical to an
/// uninterrupted run's: checkpoints are atomic and the trajectory is a function of the seed and
/// the step alone.
/// </summary>
public sealed class KillAndResumeTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private static readonly string[] Job = ["train", "--data", "builtin:fashion-mnist-small", "--epochs", "3", "--batch", "64", "--checkpoint-every", "5", "--threads", "1", "--no-progress"];
    private readonly Workspace _workspace = new();

    [Fact]
    public void A_run_killed_at_several_moments_and_resumed_should_write_the_same_model_bytes()
    {
        string reference = _workspace.File("reference");
        var (code, _, stderr) = BackpropProcess.Run(_workspace.Path, Long, [.. Job, "--run-dir", reference]);
        Assert.True(code == 0, stderr);
        byte[] expected = File.ReadAllBytes(Path.Combine(reference, "model.bpm"));

        // Kill points spread over the run: before the first checkpoint, between, and at epoch ends.
        foreach (int milliseconds in new[] { 150, 400, 700, 1000 })
        {
            string runDir = _workspace.File($"killed-{milliseconds}");
            using (var process = BackpropProcess.Start(_workspace.Path, [.. Job, "--run-dir", runDir]))
            {
                TrainingWorkflowTests.WaitFor(() => Directory.Exists(runDir), process);
                Thread.Sleep(milliseconds);
                process.Signal(9);
                process.WaitForExit(Long);
            }

            var resumed = BackpropProcess.Run(_workspace.Path, Long, "train", "--resume", "--run-dir", runDir, "--no-progress");
            Assert.True(resumed.ExitCode == 0, $"kill after {milliseconds} ms: {resumed.Stderr}");
            Assert.True(
                expected.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(runDir, "model.bpm"))),
                $"kill after {milliseconds} ms: the resumed model differs from the uninterrupted one\n{resumed.Stdout}");
            Assert.Empty(Directory.GetFiles(runDir, "*.tmp"));
        }
    }

    public void Dispose() => _workspace.Dispose();
}
