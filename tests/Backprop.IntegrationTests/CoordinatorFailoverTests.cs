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
        string[] Coordinator(int port) => ["coordinator", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--join", join, "--run-dir", runDir, "--verbose", .. Job];
        var active = BackpropProcess.Start(_workspace.Path, Coordinator(portA));
        TrainingWorkflowTests.WaitFor(() => active.Stderr.Contains("standing by", StringComparison.Ordinal), active);
        var standby = BackpropProcess.Start(_workspace.Path, Coordinator(portB));

        // The workers only once the standby is a member: else the job can be over before it joins.
        TrainingWorkflowTests.WaitFor(() => standby.Stderr.Contains("standing by", StringComparison.Ordinal), standby);
        var workers = Enumerable.Range(0, 2).Select(_ => BackpropProcess.Start(_workspace.Path, "worker", "--join", join, "--host", "127.0.0.1", "--threads", "1", "--verbose")).ToList();
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
                // Each follows the new coordinator with a fresh node: having seen the old one's node leave,
                // or, where the resolver's decision removed the workers too, as a removed node rejoins.
                Assert.True(
                    worker.Stdout.Contains("starting a fresh node to find the coordinator that takes over", StringComparison.Ordinal)
                    || worker.Stdout.Contains("rejoining as a new member", StringComparison.Ordinal),
                    worker.Stdout);
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
        catch
        {
            // A failure seen from one process is often decided in another: the membership view of every
            // node (Akka's own log at INFO) says which node downed which.
            Report("active coordinator", active);
            Report("standby coordinator", standby);
            Report("restarted coordinator", restarted);
            for (int i = 0; i < workers.Count; i++)
            {
                Report($"worker {i}", workers[i]);
            }

            throw;
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

    /// <summary>
    /// The standby is paused past down-after, so the active coordinator's cluster removes it; then the
    /// active coordinator is killed and the standby woken. Its cluster is gone, and it is not the first
    /// of the seed nodes, the only one Akka lets found a cluster: it must see that no process holds the
    /// run folder, found the cluster anew, take the job over and end with the uninterrupted model.
    /// </summary>
    [LongTierFact]
    [Trait(LongTier.Trait, LongTier.Long)]
    public void A_standby_removed_while_paused_should_found_the_cluster_again_once_the_active_coordinator_is_gone()
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
        string[] Coordinator(int port) => ["coordinator", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--join", join, "--run-dir", runDir, "--verbose", .. Job];
        var active = BackpropProcess.Start(_workspace.Path, Coordinator(portA));
        TrainingWorkflowTests.WaitFor(() => active.Stderr.Contains("standing by", StringComparison.Ordinal), active);
        var standby = BackpropProcess.Start(_workspace.Path, Coordinator(portB));
        TrainingWorkflowTests.WaitFor(() => standby.Stderr.Contains("standing by", StringComparison.Ordinal), standby);

        // Paused before the workers come: the job is a few seconds long, and members can only be let in
        // once the paused node is out. Akka's resolver on the active coordinator's side says whom it downs (its log,
        // with --json, is on stdout).
        standby.Signal(19);
        var downsStandby = new System.Text.RegularExpressions.Regex(string.Create(CultureInfo.InvariantCulture, $@"SBR is downing \[UniqueAddress: \(akka\.tcp://backprop@127\.0\.0\.1:{portB},"));
        var workers = new List<BackpropProcess>();
        try
        {
            TrainingWorkflowTests.WaitFor(() => downsStandby.IsMatch(active.Stdout), active);
            workers.AddRange(Enumerable.Range(0, 2).Select(_ => BackpropProcess.Start(_workspace.Path, "worker", "--join", join, "--host", "127.0.0.1", "--threads", "1", "--verbose")));
            TrainingWorkflowTests.WaitFor(() => active.Stderr.Contains("epoch 1/3", StringComparison.Ordinal), active);
            Thread.Sleep(150);
            active.Signal(9);
            active.WaitForExit(Long);
            standby.Signal(18);

            int code = standby.WaitForExit(Long);
            Assert.True(code == 0, $"standby coordinator exit {code}\n{standby.Stderr}");
            Assert.Contains("no coordinator holds the run folder; joining again with a fresh node, first in line", standby.Stderr, StringComparison.Ordinal);
            Assert.Contains("taking the job in", standby.Stderr, StringComparison.Ordinal);
            Assert.Matches(@"resumed from \S+ at epoch \d+, step [1-9]\d*", standby.Stderr);
            Assert.Contains("starting with 2 worker(s)", standby.Stderr, StringComparison.Ordinal);
            Assert.True(SummaryJson.LastLine(standby.Stdout).GetProperty("completed").GetBoolean());
            foreach (var worker in workers)
            {
                int exit = worker.WaitForExit(TimeSpan.FromSeconds(60));
                Assert.True(exit == 0, $"worker exit {exit}\n{worker.Stdout}\n{worker.Stderr}");
            }

            byte[] actual = File.ReadAllBytes(Path.Combine(runDir, "model.bpm"));
            Assert.True(expected.AsSpan().SequenceEqual(actual), "the model after the take-over differs from the uninterrupted run's");
        }
        catch
        {
            Report("active coordinator", active);
            Report("standby coordinator", standby);
            for (int i = 0; i < workers.Count; i++)
            {
                Report($"worker {i}", workers[i]);
            }

            throw;
        }
        finally
        {
            standby.Signal(18);
            active.Dispose();
            standby.Dispose();
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    /// <summary>
    /// The active coordinator is paused mid-job (alive, silent, still holding the run folder): the
    /// others down it and the standby is elected, but must not touch the folder while the paused one
    /// could still write there. Woken, the paused coordinator finds itself downed, lets the folder go
    /// and joins again as a standby; only then does the standby take the job over, and the model is
    /// the uninterrupted run's.
    /// </summary>
    [LongTierFact]
    [Trait(LongTier.Trait, LongTier.Long)]
    public void A_paused_active_coordinator_should_keep_the_run_folder_from_the_elected_standby_until_it_lets_go()
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
        string[] Coordinator(int port) => ["coordinator", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--join", join, "--run-dir", runDir, "--verbose", .. Job];
        var active = BackpropProcess.Start(_workspace.Path, Coordinator(portA));
        TrainingWorkflowTests.WaitFor(() => active.Stderr.Contains("standing by", StringComparison.Ordinal), active);
        var standby = BackpropProcess.Start(_workspace.Path, Coordinator(portB));
        TrainingWorkflowTests.WaitFor(() => standby.Stderr.Contains("standing by", StringComparison.Ordinal), standby);
        var workers = Enumerable.Range(0, 2).Select(_ => BackpropProcess.Start(_workspace.Path, "worker", "--join", join, "--host", "127.0.0.1", "--threads", "1", "--verbose")).ToList();
        try
        {
            TrainingWorkflowTests.WaitFor(() => active.Stderr.Contains("epoch 1/3", StringComparison.Ordinal), active);
            Thread.Sleep(150);
            active.Signal(19);

            TrainingWorkflowTests.WaitFor(() => standby.Stderr.Contains("elected, but another process holds the run folder", StringComparison.Ordinal), standby);
            Thread.Sleep(1000);
            Assert.DoesNotContain("taking the job in", standby.Stderr, StringComparison.Ordinal);
            active.Signal(18);

            int code = standby.WaitForExit(Long);
            Assert.True(code == 0, $"standby coordinator exit {code}\n{standby.Stderr}");
            Assert.Contains("taking the job in", standby.Stderr, StringComparison.Ordinal);
            Assert.Matches(@"resumed from \S+ at epoch \d+, step [1-9]\d*", standby.Stderr);
            var summary = SummaryJson.LastLine(standby.Stdout);
            Assert.True(summary.GetProperty("completed").GetBoolean());
            Assert.Equal(0, summary.GetProperty("short_handed_steps").GetInt64());

            int again = active.WaitForExit(TimeSpan.FromSeconds(90));
            Assert.True(again == 0, $"paused coordinator exit {again}\n{active.Stderr}");
            Assert.Contains("the cluster downed this coordinator's node, which stopped the job here", active.Stderr, StringComparison.Ordinal);
            Assert.True(
                active.Stderr.Contains("the job finished on", StringComparison.Ordinal) || active.Stderr.Contains("has finished already", StringComparison.Ordinal),
                active.Stderr);
            foreach (var worker in workers)
            {
                int exit = worker.WaitForExit(TimeSpan.FromSeconds(60));
                Assert.True(exit == 0, $"worker exit {exit}\n{worker.Stdout}\n{worker.Stderr}");
            }

            byte[] actual = File.ReadAllBytes(Path.Combine(runDir, "model.bpm"));
            Assert.True(expected.AsSpan().SequenceEqual(actual), "the model after the take-over differs from the uninterrupted run's");
        }
        catch
        {
            Report("active coordinator", active);
            Report("standby coordinator", standby);
            for (int i = 0; i < workers.Count; i++)
            {
                Report($"worker {i}", workers[i]);
            }

            throw;
        }
        finally
        {
            active.Signal(18);
            active.Dispose();
            standby.Dispose();
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    public void Dispose() => _workspace.Dispose();

    private void Report(string name, BackpropProcess? process)
    {
        if (process is not null)
        {
            output.WriteLine($"===== {name} (pid {process.Id}) stdout\n{process.Stdout}\n===== {name} stderr\n{process.Stderr}");
        }
    }
}
