namespace Backprop.IntegrationTests;

/// <summary>A coordinator and worker processes on loopback, as people run them; one worker killed mid-job, one joining late.</summary>
public sealed class ClusterProcessTests : IDisposable
{
    private const int Epochs = 8;
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private readonly Workspace _workspace = new();

    [LongTierTheory]
    [Trait(LongTier.Trait, LongTier.Long)]
    [InlineData("lane")]
    [InlineData("akka")]
    public void A_job_should_survive_a_killed_worker_and_take_in_a_late_one(string transport)
    {
        int port = LoopbackPort.Free();
        string runDir = _workspace.File("cluster");
        string config = _workspace.File("transport.conf");
        File.WriteAllText(config, $"backprop.cluster.transport = {transport}");
        using var coordinator = BackpropProcess.Start(
            _workspace.Path,
            "coordinator", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--min-workers", "3", "--config", config,
            "--data", "builtin:fashion-mnist-small", "--epochs", Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--batch", "32", "--threads", "1", "--json", "--run-dir", runDir);
        string join = $"127.0.0.1:{port}";
        var workers = Enumerable.Range(0, 3).Select(_ => BackpropProcess.Start(_workspace.Path, "worker", "--join", join, "--host", "127.0.0.1", "--threads", "1")).ToList();
        BackpropProcess? late = null;
        try
        {
            // A worker started once the job is under way joins and takes a slice. It starts before the
            // kill so that its join does not wait for the failure detector to down the killed node;
            // the job (125 steps an epoch) outlasts its start-up many times over.
            TrainingWorkflowTests.WaitFor(() => coordinator.Stderr.Contains("starting with 3 worker(s)", StringComparison.Ordinal), coordinator);
            late = BackpropProcess.Start(_workspace.Path, "worker", "--join", join, "--host", "127.0.0.1", "--threads", "1");

            // Kill one of the first three once the first epoch is over.
            TrainingWorkflowTests.WaitFor(() => coordinator.Stderr.Contains($"epoch 1/{Epochs}", StringComparison.Ordinal), coordinator);
            workers[1].Signal(9);

            int code = coordinator.WaitForExit(Long);
            Assert.True(code == 0, $"coordinator exit {code}\n{coordinator.Stderr}");
            var summary = SummaryJson.LastLine(coordinator.Stdout);
            Assert.True(summary.GetProperty("completed").GetBoolean());
            Assert.Equal(Epochs, summary.GetProperty("epochs").GetInt32());
            Assert.Equal(Epochs * 125, summary.GetProperty("steps").GetInt64());
            Assert.True(summary.GetProperty("short_handed_steps").GetInt64() >= 1, coordinator.Stderr);
            Assert.True(summary.GetProperty("test_accuracy").GetDouble() > 0.7, coordinator.Stdout);

            // The killed worker left the steps (through its lane breaking or the failure detector).
            Assert.Matches(@"worker \S+ (lost|unreachable)|worker \S+: tensor lane lost", coordinator.Stderr);
            Assert.True(File.Exists(Path.Combine(runDir, "model.bpm")));

            // The survivors and the late joiner are told the job is over and exit 0.
            foreach (var worker in new[] { workers[0], workers[2], late })
            {
                int exit = worker.WaitForExit(TimeSpan.FromSeconds(60));
                Assert.True(exit == 0, $"worker exit {exit}\n{worker.Stdout}\n{worker.Stderr}");
            }

            Assert.Contains("ready:", late.Stdout, StringComparison.Ordinal);
            Assert.Contains("first step", late.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }

            late?.Dispose();
        }
    }

    [Fact]
    public void A_coordinator_stopped_by_SIGTERM_should_checkpoint_its_last_step_and_resume_from_it()
    {
        string runDir = _workspace.File("stopped");
        string[] job = ["--data", "builtin:fashion-mnist-small", "--epochs", "20", "--batch", "32", "--threads", "1", "--json", "--run-dir", runDir];
        int port = LoopbackPort.Free();
        using (var coordinator = BackpropProcess.Start(_workspace.Path, ["coordinator", "--host", "127.0.0.1", "--port", Port(port), "--min-workers", "1", .. job]))
        using (var worker = BackpropProcess.Start(_workspace.Path, "worker", "--join", $"127.0.0.1:{port}", "--host", "127.0.0.1", "--threads", "1"))
        {
            // Mid-epoch, as docker stop or an eviction would: SIGTERM.
            TrainingWorkflowTests.WaitFor(() => coordinator.Stderr.Contains("epoch 1/20", StringComparison.Ordinal), coordinator);
            Thread.Sleep(200);
            coordinator.Signal(15);

            Assert.Equal(143, coordinator.WaitForExit(Long));
            var stopped = SummaryJson.LastLine(coordinator.Stdout);
            Assert.False(stopped.GetProperty("completed").GetBoolean());
            Assert.Matches(@"the checkpoint holds (step \d+|the end of epoch \d+)", coordinator.Stderr);
            Assert.Contains($"backprop coordinator --resume --run-dir {runDir}", coordinator.Stderr, StringComparison.Ordinal);
            Assert.Equal(0, worker.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.True(stopped.GetProperty("steps").GetInt64() > 125, coordinator.Stderr);
        }

        // Started again on the same run folder, it carries on from the checkpoint to the end.
        port = LoopbackPort.Free();
        using var resumed = BackpropProcess.Start(_workspace.Path, ["coordinator", "--host", "127.0.0.1", "--port", Port(port), "--min-workers", "1", "--resume", .. job]);
        using var again = BackpropProcess.Start(_workspace.Path, "worker", "--join", $"127.0.0.1:{port}", "--host", "127.0.0.1", "--threads", "1");
        Assert.True(resumed.WaitForExit(Long) == 0, resumed.Stderr);
        var summary = SummaryJson.LastLine(resumed.Stdout);
        Assert.True(summary.GetProperty("completed").GetBoolean());
        Assert.Equal(20 * 125, summary.GetProperty("steps").GetInt64());
        Assert.Contains("resumed from", resumed.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// A worker paused with SIGSTOP is dropped by whichever comes first: the failure detector and the
    /// split-brain resolver (defaults), or — with a short step timeout and a resolver made slow — its
    /// missed steps, after which the coordinator downs its node itself.
    /// </summary>
    [LongTierTheory]
    [Trait(LongTier.Trait, LongTier.Long)]
    [InlineData("resolver")]
    [InlineData("missed-steps")]
    public void A_paused_worker_should_be_dropped_and_rejoin_as_new_when_it_resumes(string droppedBy)
    {
        string runDir = _workspace.File("paused");
        string config = _workspace.File("timeouts.conf");
        File.WriteAllText(config, droppedBy == "missed-steps"
            ? "backprop.cluster { step-timeout = 500ms, max-missed-steps = 2, down-after = 60s }"
            : string.Empty);
        int port = LoopbackPort.Free();
        using var coordinator = BackpropProcess.Start(
            _workspace.Path,
            "coordinator", "--host", "127.0.0.1", "--port", Port(port), "--min-workers", "2", "--config", config,
            "--data", "builtin:fashion-mnist-small", "--epochs", "500", "--batch", "32", "--threads", "1", "--json", "--run-dir", runDir);
        var workers = Enumerable.Range(0, 2).Select(_ => BackpropProcess.Start(_workspace.Path, "worker", "--join", $"127.0.0.1:{port}", "--host", "127.0.0.1", "--threads", "1", "--config", config)).ToList();
        try
        {
            TrainingWorkflowTests.WaitFor(() => coordinator.Stderr.Contains("epoch 1/500", StringComparison.Ordinal), coordinator);

            // Alive but silent (SIGSTOP): the step closes without it, and it is dropped from the cluster.
            workers[1].Signal(19);
            string dropped = droppedBy == "missed-steps" ? "missed 2 steps in a row" : "lost (removed from the cluster)";
            TrainingWorkflowTests.WaitFor(() => coordinator.Stderr.Contains(dropped, StringComparison.Ordinal), coordinator);

            // Resumed, it finds itself removed, starts a fresh node and takes slices again.
            workers[1].Signal(18);
            TrainingWorkflowTests.WaitFor(() => CountOf(workers[1].Stdout, "first step") >= 2, workers[1]);
            Assert.True(workers[1].Stdout.Contains("rejoining as a new member", StringComparison.Ordinal), workers[1].Stdout);

            // Enough shown: stop the job gracefully rather than train 500 epochs.
            coordinator.Signal(15);
            Assert.Equal(143, coordinator.WaitForExit(Long));
            var summary = SummaryJson.LastLine(coordinator.Stdout);
            Assert.True(summary.GetProperty("short_handed_steps").GetInt64() >= 1, coordinator.Stderr);
            foreach (var worker in workers)
            {
                int exit = worker.WaitForExit(TimeSpan.FromSeconds(60));
                Assert.True(exit == 0, $"worker exit {exit}\n{worker.Stdout}\n{worker.Stderr}");
            }
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Signal(18);
                worker.Dispose();
            }
        }
    }

    [Fact]
    public void A_worker_that_reaches_no_coordinator_should_give_up_with_a_clear_message()
    {
        int port = LoopbackPort.Free();
        string config = Path.Combine(_workspace.Path, "quick.conf");
        File.WriteAllText(config, "backprop.cluster.join-timeout = 3s");
        var (code, _, stderr) = BackpropProcess.Run(
            _workspace.Path, Long, "worker", "--join", $"127.0.0.1:{port}", "--host", "127.0.0.1", "--config", config);

        Assert.Equal(1, code);
        Assert.Contains("no coordinator answered within", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _workspace.Dispose();

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
