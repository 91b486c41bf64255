using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Backprop.IntegrationTests;

/// <summary>
/// The coordinator killed with SIGKILL mid-job and started again with <c>--resume</c> on the same run
/// folder and port: the workers, left running, find themselves downed, start fresh nodes and join the
/// new coordinator by themselves, and with the same workers the final model is byte-identical to an
/// uninterrupted run's.
/// </summary>
public sealed class CoordinatorKillTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private static readonly string[] Job = ReferenceClusterRun.Job;
    private readonly Workspace _workspace = new();

    [LongTierFact]
    [Trait(LongTier.Trait, LongTier.Long)]
    public void A_coordinator_killed_mid_job_and_resumed_should_end_with_the_uninterrupted_model_bytes()
    {
        byte[] expected = ReferenceClusterRun.ModelBytes;
        byte[] resumed = File.ReadAllBytes(Path.Combine(Train("killed"), "model.bpm"));

        Assert.True(expected.AsSpan().SequenceEqual(resumed), "the resumed cluster run's model differs from the uninterrupted one");
    }

    public void Dispose() => _workspace.Dispose();

    /// <summary>Two workers and a coordinator; the coordinator is killed in epoch 2 and restarted.</summary>
    private string Train(string name)
    {
        string runDir = _workspace.File(name);
        int port = LoopbackPort.FreeBelowEphemeral();
        string join = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        string[] listen = ["coordinator", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--min-workers", "2", "--run-dir", runDir];
        var coordinator = BackpropProcess.Start(_workspace.Path, [.. listen, .. Job]);
        var workers = Enumerable.Range(0, 2).Select(_ => BackpropProcess.Start(_workspace.Path, "worker", "--join", join, "--host", "127.0.0.1", "--threads", "1")).ToList();
        try
        {
            // Past the end of epoch 1 (its checkpoint is written before its line is printed) and
            // into epoch 2, where periodic checkpoints are written every 10 steps.
            TrainingWorkflowTests.WaitFor(() => coordinator.Stderr.Contains("epoch 1/3", StringComparison.Ordinal), coordinator);
            Thread.Sleep(150);
            coordinator.Signal(9);
            coordinator.WaitForExit(Long);
            coordinator.Dispose();

            var restarted = Stopwatch.StartNew();
            coordinator = BackpropProcess.Start(_workspace.Path, [.. listen, "--resume", "--json", "--no-progress"]);
            TrainingWorkflowTests.WaitFor(() => coordinator.Stderr.Contains("starting with 2 worker(s)", StringComparison.Ordinal), coordinator);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"restarted coordinator to training with both workers again: {restarted.Elapsed.TotalSeconds:F1} s"));
            Assert.Matches(@"resumed from \S+ at epoch \d+, step [1-9]\d*", coordinator.Stderr);

            int code = coordinator.WaitForExit(Long);
            Assert.True(code == 0, $"coordinator exit {code}\n{coordinator.Stderr}");
            var summary = SummaryJson.LastLine(coordinator.Stdout);
            Assert.True(summary.GetProperty("completed").GetBoolean());
            Assert.Equal(0, summary.GetProperty("short_handed_steps").GetInt64());
            foreach (var worker in workers)
            {
                int exit = worker.WaitForExit(TimeSpan.FromSeconds(60));
                Assert.True(exit == 0, $"worker exit {exit}\n{worker.Stdout}\n{worker.Stderr}");
                Assert.Contains("rejoining as a new member", worker.Stdout, StringComparison.Ordinal);
            }

            return runDir;
        }
        finally
        {
            coordinator.Dispose();
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }
}
