using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Backprop.IntegrationTests;

/// <summary>
/// Two coordinators (an active one and a standby, a cluster singleton) sharing a run folder, and two
/// workers, all real processes on loopback. The active coordinator is killed (SIGKILL) or stopped
/// (SIGTERM) mid-job: the standby takes the job over from the folder's latest checkpoint with no
/// manual step, the workers follow it, and the final model is byte-identical to an uninterrupted
/// run's. The killed coordinator, started again with the same command, rejoins as a standby and ends
/// with the job.
/// </summary>
public sealed class CoordinatorFailoverTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private static readonly string[] Job = [.. ReferenceClusterRun.Job, "--min-workers", "2"];
    private readonly Workspace _workspace = new();

    [LongTierTheory]
    [Trait(LongTier.Trait, LongTier.Long)]
    [InlineData(9)]
    [InlineData(15)]
    public void The_standby_coordinator_should_take_the_job_over_and_end_with_the_uninterrupted_model_bytes(int signal)
    {
        byte[] expected = ReferenceClusterRun.ModelBytes;

        string runDir = _workspace.File("shared-run");
        int portA = LoopbackPort.FreeBelowEphemeral();
        int portB = LoopbackPort.FreeBelowEphemeral();
        while (portB == portA)
        {
            portB = LoopbackPort.FreeBelowEphemeral();
        }

        string join = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{portA},127.0.0.1:{portB}");
        string[] Coordinator(int port) => ["coordinator", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--join", join, "--run-dir", runDir, .. Job];
        var active = BackpropProcess.Start(_workspace.Path, Coordinator(portA));
        TrainingWorkflowTests.WaitFor(() => active.Stderr.Contains("standing by", StringComparison.Ordinal), active);
        var standby = BackpropProcess.Start(_workspace.Path, Coordinator(portB));

        // The workers only once the standby is a member: else the job can be over before it joins.
        TrainingWorkflowTests.WaitFor(() => standby.Stderr.Contains("standing by", StringComparison.Ordinal), standby);
        var workers = Enumerable.Range(0, 2).Select(_ => BackpropProcess.Start(_workspace.Path, "worker", "--join", join, "--host", "127.0.0.1", "--threads", "1")).ToList();
        BackpropProcess? restarted = null;
        try
        {
            // Into epoch 2, past epoch 1's checkpoint; periodic checkpoints every 10 steps follow.
            TrainingWorkflowTests.WaitFor(() => active.Stderr.Contains("epoch 1/3", StringComparison.Ordinal), active);
            Assert.Contains("standing by", standby.Stderr, StringComparison.Ordinal);
            Thread.Sleep(150);
            var stopped = Stopwatch.StartNew();
            active.Signal(signal);
            int activeExit = active.WaitForExit(Long);
            if (signal == 15)
            {
                // Stopped, not crashed: it checkpoints and hands over, keeping the workers for the standby.
                Assert.True(activeExit == 143, $"active coordinator exit {activeExit}\n{active.Stderr}");
                Assert.Contains("the workers stay for the one that takes the job over", active.Stderr, StringComparison.Ordinal);
            }

            TrainingWorkflowTests.WaitFor(() => standby.Stderr.Contains("starting with 2 worker(s)", StringComparison.Ordinal), standby);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"signal {signal} → the standby training with both workers: {stopped.Elapsed.TotalSeconds:F1} s"));
            Assert.Contains("taking the job in", standby.Stderr, StringComparison.Ordinal);
            Assert.Matches(@"resumed from \S+ at epoch \d+, step [1-9]\d*", standby.Stderr);

            if (signal == 9)
            {
                // The crashed coordinator comes back with its command unchanged: it must join the running
                // cluster as a standby, not found a second one over the same folder.
                restarted = BackpropProcess.Start(_workspace.Path, Coordinator(portA));
            }

            int code = standby.WaitForExit(Long);
            Assert.True(code == 0, $"standby coordinator exit {code}\n{standby.Stderr}");
            var summary = SummaryJson.LastLine(standby.Stdout);
            Assert.True(summary.GetProperty("completed").GetBoolean());
            Assert.Equal(0, summary.GetProperty("short_handed_steps").GetInt64());
            foreach (var worker in workers)
            {
                int exit = worker.WaitForExit(TimeSpan.FromSeconds(60));
                Assert.True(exit == 0, $"worker exit {exit}\n{worker.Stdout}\n{worker.Stderr}");
                Assert.Contains("starting a fresh node to find the coordinator that takes over", worker.Stdout, StringComparison.Ordinal);
            }

            if (restarted is not null)
            {
                int again = restarted.WaitForExit(TimeSpan.FromSeconds(60));
                Assert.True(again == 0, $"restarted coordinator exit {again}\n{restarted.Stderr}");
                Assert.Contains("standing by", restarted.Stderr, StringComparison.Ordinal);

                // Told by the active coordinator, or (joined as the job ended) elected after it left and
                // found the folder's summary complete: either way it must not run the job again.
                Assert.True(
                    restarted.Stderr.Contains("the job finished on", StringComparison.Ordinal) || restarted.Stderr.Contains("has finished already", StringComparison.Ordinal),
                    restarted.Stderr);
                Assert.DoesNotContain("starting the job", restarted.Stderr, StringComparison.Ordinal);
                Assert.DoesNotContain("taking the job", restarted.Stderr, StringComparison.Ordinal);
            }

            byte[] actual = File.ReadAllBytes(Path.Combine(runDir, "model.bpm"));
            Assert.True(expected.AsSpan().SequenceEqual(actual), "the model after the take-over differs from the uninterrupted run's");
        }
        finally
        {
            active.Dispose();
            standby.Dispose();
            restarted?.Dispose();
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    public void Dispose() => _workspace.Dispose();
}
