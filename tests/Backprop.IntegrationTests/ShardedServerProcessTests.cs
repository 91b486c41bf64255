using System.Globalization;

namespace Backprop.IntegrationTests;

/// <summary>
/// A parameter server sharded two ways across real processes on loopback: the coordinator holds
/// shard 0, a <c>backprop server</c> node shard 1, and two workers exchange each bucket with the shard
/// that owns it, on the tensor lanes of both (and over Akka.Remote in the kill test). The job ends with the model of the one-server reference run, byte for byte; a
/// server node with no shard left to hold is refused with a clear error; a server node killed mid-job
/// stops the job with a clear error, its checkpoint intact, and the job resumes with a fresh one.
/// </summary>
public sealed class ShardedServerProcessTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private static readonly Dictionary<string, string> TwoShardsOverAkka = new(StringComparer.Ordinal)
    {
        ["BACKPROP__CLUSTER__TRANSPORT"] = "akka",
        ["BACKPROP__CLUSTER__EXCHANGE__SERVERS"] = "2",
    };
    private static readonly string[] OneThread = ["--threads", "1"];
    private readonly Workspace _workspace = new();

    [Fact]
    public void A_server_node_should_hold_a_shard_and_the_job_end_with_the_one_server_model()
    {
        byte[] expected = ReferenceClusterRun.ModelBytes;

        string runDir = _workspace.File("sharded");
        int port = LoopbackPort.FreeBelowEphemeral();
        string join = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
        var coordinator = BackpropProcess.Start(
            _workspace.Path, ["coordinator", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--min-workers", "2", "--servers", "2", "--run-dir", runDir, .. ReferenceClusterRun.Job]);
        var server = BackpropProcess.Start(_workspace.Path, "server", "--join", join, "--host", "127.0.0.1");
        BackpropProcess? spare = null;
        var workers = new List<BackpropProcess>();
        try
        {
            TrainingWorkflowTests.WaitFor(() => coordinator.Stderr.Contains("all 2 shards of the parameter server are ready", StringComparison.Ordinal), coordinator);

            // Every shard is held: another server node is told so, and leaves.
            spare = BackpropProcess.Start(_workspace.Path, "server", "--join", join, "--host", "127.0.0.1");
            Assert.Equal(1, spare.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.Contains("the coordinator refused this server node: the job's 1 server node(s) are all in place", spare.Stderr, StringComparison.Ordinal);

            workers.AddRange(Enumerable.Range(0, 2).Select(_ => BackpropProcess.Start(_workspace.Path, "worker", "--join", join, "--host", "127.0.0.1", "--threads", "1")));
            int code = coordinator.WaitForExit(Long);
            Assert.True(code == 0, $"coordinator exit {code}\n{coordinator.Stderr}");
            var summary = SummaryJson.LastLine(coordinator.Stdout);
            Assert.True(summary.GetProperty("completed").GetBoolean());
            Assert.Equal(0, summary.GetProperty("short_handed_steps").GetInt64());

            int served = server.WaitForExit(TimeSpan.FromSeconds(60));
            Assert.True(served == 0, $"server exit {served}\n{server.Stdout}\n{server.Stderr}");
            Assert.Contains("holding shard 1 of 2", server.Stdout, StringComparison.Ordinal);
            Assert.Contains("tensor lane listening on port", server.Stdout, StringComparison.Ordinal);
            Assert.Contains("the job is finished", server.Stdout, StringComparison.Ordinal);
            foreach (var worker in workers)
            {
                int exit = worker.WaitForExit(TimeSpan.FromSeconds(60));
                Assert.True(exit == 0, $"worker exit {exit}\n{worker.Stdout}\n{worker.Stderr}");
            }

            byte[] actual = File.ReadAllBytes(Path.Combine(runDir, "model.bpm"));
            Assert.True(expected.AsSpan().SequenceEqual(actual), "the model trained on two shards differs from the one-server run's");
        }
        finally
        {
            coordinator.Dispose();
            server.Dispose();
            spare?.Dispose();
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    /// <summary>
    /// Workers that join a running job during its first steps, and one that leaves: every roster change
    /// reaches the two shards at different moments. Each shard used to open its next step with the
    /// roster it had then, so a newcomer could be in one shard's step and not the other's; the shards
    /// fell a step apart and every step after timed out (the deploy tier's failure at wire version 5,
    /// which this test met in about one run of four before the fix). Shard 0 now fixes each step's
    /// workers and the server node follows: no step times out, no gradient is refused for its world,
    /// and the job completes.
    /// </summary>
    [Fact]
    public void Workers_joining_and_leaving_mid_job_should_keep_both_shards_on_the_same_steps()
    {
        string runDir = _workspace.File("churn");
        int port = LoopbackPort.FreeBelowEphemeral();
        string join = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
        var coordinator = BackpropProcess.Start(
            _workspace.Path,
            ["coordinator", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--min-workers", "1", "--servers", "2", "--run-dir", runDir,
                "--data", "builtin:fashion-mnist-small", "--epochs", "6", "--batch", "16", "--threads", "1", "--json", "--no-progress"]);
        var processes = new List<BackpropProcess> { coordinator };
        BackpropProcess Join(string role)
        {
            var process = BackpropProcess.Start(_workspace.Path, [role, "--join", join, "--host", "127.0.0.1", .. role == "worker" ? OneThread : []]);
            processes.Add(process);
            return process;
        }

        try
        {
            // As compose starts them: the workers together, the job starting with the first ready and
            // the others joining its first steps (small batches: 1,500 short steps in all).
            var server = Join("server");
            TrainingWorkflowTests.WaitFor(() => coordinator.Stderr.Contains("all 2 shards of the parameter server are ready", StringComparison.Ordinal), coordinator);
            var first = Join("worker");
            Join("worker");
            Join("worker");
            TrainingWorkflowTests.WaitFor(() => coordinator.Stderr.Contains("3 worker(s) in the steps", StringComparison.Ordinal), coordinator);
            first.Signal(15);

            int code = coordinator.WaitForExit(Long);
            string serverLog = server.WaitForExit(TimeSpan.FromSeconds(60)) is var served && served == 0 ? server.Stderr : $"exit {served}\n{server.Stdout}\n{server.Stderr}";
            Assert.True(code == 0, $"coordinator exit {code}\n{coordinator.Stderr}\nserver node:\n{serverLog}");
            var summary = SummaryJson.LastLine(coordinator.Stdout);
            Assert.True(summary.GetProperty("completed").GetBoolean(), coordinator.Stderr);
            Assert.Equal(6, summary.GetProperty("epochs").GetInt32());
            Assert.True(served == 0, serverLog);
            Assert.DoesNotContain("timed out", coordinator.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("timed out", serverLog, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-world", serverLog, StringComparison.Ordinal);
            Assert.False(summary.GetProperty("rejected_by_reason").TryGetProperty("wrong-world", out _), coordinator.Stdout);
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }
        }
    }

    [LongTierFact]
    [Trait(LongTier.Trait, LongTier.Long)]
    public void A_server_node_killed_mid_job_should_stop_the_job_with_its_checkpoint_and_a_resume_should_end_with_the_same_model()
    {
        byte[] expected = ReferenceClusterRun.ModelBytes;

        string runDir = _workspace.File("killed-server");
        int port = LoopbackPort.FreeBelowEphemeral();
        string join = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
        string[] listen = ["coordinator", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--min-workers", "2", "--run-dir", runDir];
        var coordinator = BackpropProcess.StartWith(_workspace.Path, TwoShardsOverAkka, [.. listen, .. ReferenceClusterRun.Job]);
        var processes = new List<BackpropProcess> { coordinator };
        BackpropProcess Join(string role) => Started(BackpropProcess.StartWith(_workspace.Path, TwoShardsOverAkka, [role, "--join", join, "--host", "127.0.0.1", .. role == "worker" ? OneThread : []]));
        BackpropProcess Started(BackpropProcess process)
        {
            processes.Add(process);
            return process;
        }

        try
        {
            var server = Join("server");
            Join("worker");
            Join("worker");

            // Past epoch 1's checkpoint, the server node holding shard 1 vanishes.
            TrainingWorkflowTests.WaitFor(() => coordinator.Stderr.Contains("epoch 1/3", StringComparison.Ordinal), coordinator);
            server.Signal(9);
            int failed = coordinator.WaitForExit(Long);
            Assert.True(failed != 0, $"coordinator exit {failed}\n{coordinator.Stderr}");
            Assert.Contains("the server node holding shard 1 of the parameters", coordinator.Stderr, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(runDir, "checkpoint.bpk")), "the checkpoint is gone");

            // The same command with --resume, a fresh server node and fresh workers: nothing applied is lost.
            coordinator = Started(BackpropProcess.StartWith(_workspace.Path, TwoShardsOverAkka, [.. listen, "--resume", "--json", "--no-progress"]));
            Join("server");
            Join("worker");
            Join("worker");
            int code = coordinator.WaitForExit(Long);
            Assert.True(code == 0, $"resumed coordinator exit {code}\n{coordinator.Stderr}");
            Assert.Matches(@"resumed from \S+ at epoch \d+, step [1-9]\d*", coordinator.Stderr);
            Assert.True(SummaryJson.LastLine(coordinator.Stdout).GetProperty("completed").GetBoolean());
            byte[] actual = File.ReadAllBytes(Path.Combine(runDir, "model.bpm"));
            Assert.True(expected.AsSpan().SequenceEqual(actual), "the model resumed after the server node's loss differs from the uninterrupted run's");
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }
        }
    }

    public void Dispose() => _workspace.Dispose();
}
