using Xunit.Abstractions;

namespace Backprop.DeployTests;

/// <summary>
/// docker-compose.yml as a user runs it: built from the repository, a coordinator and three
/// workers over mutual TLS with the certificates its certs service generates, the job on the
/// built-in dataset, results on the host; once as it is, once with a worker killed mid-job, once
/// with a sharded parameter server, once with workers that lack the cluster's certificates trying
/// to join. Compose v1 runs the first
/// when it is installed.
/// </summary>
[Collection(DeployTierFactAttribute.Collection)]
public sealed class ComposeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Build = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan Job = TimeSpan.FromMinutes(4);
    private static readonly string[] RunFiles = ["model.bpm", "checkpoint.bpk", "summary.json", "config.conf", "train.log"];

    /// <summary>up --scale worker=3, every container exits 0, the results stay on the host, down -v leaves nothing.</summary>
    [DeployTierFact]
    public void Compose_should_train_with_three_workers_and_leave_the_results_on_the_host()
    {
        bool v1 = ComposeProject.HasV1;
        // As the README runs it: the job waits for all three workers, so that each is in it and is
        // told when it ends (a worker that comes after the coordinator exited finds no one to join).
        using var project = new ComposeProject(v2: !v1, new Dictionary<string, string>
        {
            ["BACKPROP_MIN_WORKERS"] = "3",
            ["BACKPROP__TRAINING__EPOCHS"] = "3",
        });
        project.ReportingFailures(output, () =>
        {
            output.WriteLine($"compose {(v1 ? "v1 (docker-compose)" : "v2 (docker compose)")}, project {project.Name}");
            project.Compose(Build, "up", "-d", "--build", "--scale", "worker=3");

            string coordinator = Assert.Single(project.Containers("coordinator"));
            var (summary, logs) = Completed(coordinator);
            AssertTlsIsOn(logs);

            // The healthcheck ran every 5 s during the job without making the node log failed handshakes.
            Assert.DoesNotContain("TLS handshake failed", logs, StringComparison.Ordinal);
            string certs = Assert.Single(project.Containers("certs"));
            Assert.True(ComposeProject.Wait(certs, TimeSpan.FromMinutes(1)) == 0, ComposeProject.Logs(certs));
            Assert.Equal(3, summary.GetProperty("epochs").GetInt32());
            Assert.True(summary.GetProperty("test_accuracy").GetDouble() > 0.7, logs);
            output.WriteLine($"test accuracy {summary.GetProperty("test_accuracy").GetDouble():P2}, {summary.GetProperty("workers").GetInt32()} workers at most");
            Assert.Equal(3, summary.GetProperty("workers").GetInt32());

            var workers = project.Containers("worker");
            Assert.Equal(3, workers.Count);
            foreach (string worker in workers)
            {
                int exit = ComposeProject.Wait(worker, TimeSpan.FromMinutes(1));
                Assert.True(exit == 0, $"worker exit {exit}:\n{ComposeProject.Logs(worker)}");
            }

            // The run folder is on the host, written by the container's user.
            string run = Assert.Single(Directory.GetDirectories(project.Runs));
            foreach (string file in RunFiles)
            {
                Assert.True(File.Exists(Path.Combine(run, file)), $"{file} missing from {run}");
            }

            project.Compose(TimeSpan.FromMinutes(2), "down", "-v");
            Assert.Equal(string.Empty, project.Leftovers());
            Assert.True(File.Exists(Path.Combine(run, "model.bpm")), "down -v removed the host's run folder");
        });
    }

    /// <summary>docker kill of one worker mid-job: the job completes with the others.</summary>
    [DeployTierFact]
    public void Compose_should_finish_the_job_when_a_worker_is_killed()
    {
        using var project = new ComposeProject(v2: true, new Dictionary<string, string>
        {
            // The victim is in the job when it is killed.
            ["BACKPROP_MIN_WORKERS"] = "3",
            ["BACKPROP__TRAINING__EPOCHS"] = "6",
            ["BACKPROP__TRAINING__BATCH_SIZE"] = "32",
        });
        project.ReportingFailures(output, () =>
        {
            project.Compose(Build, "up", "-d", "--build", "--scale", "worker=3");
            string coordinator = Assert.Single(project.Containers("coordinator"));

            // Once the first epoch is over, kill a worker that is in the job.
            WaitForLine(coordinator, "epoch 1/6");

            string victim = project.Containers("worker")[0];
            Shell.Check("docker", ["kill", victim], TimeSpan.FromMinutes(1));

            var (summary, logs) = Completed(coordinator);
            AssertTlsIsOn(logs);
            Assert.Equal(6, summary.GetProperty("epochs").GetInt32());
            Assert.Matches(@"worker \S+ (lost|unreachable)|worker \S+: tensor lane lost", logs);
            output.WriteLine($"short-handed steps {summary.GetProperty("short_handed_steps").GetInt64()}, test accuracy {summary.GetProperty("test_accuracy").GetDouble():P2}");
        });
    }

    /// <summary>
    /// A parameter server sharded two ways: the coordinator and one container of the server service
    /// hold a shard each, each with its own tensor lane, over mutual TLS; the job completes and the
    /// server node exits 0 with it.
    /// </summary>
    [DeployTierFact]
    public void Compose_should_train_with_a_sharded_parameter_server()
    {
        using var project = new ComposeProject(v2: true, new Dictionary<string, string>
        {
            ["BACKPROP__TRAINING__EPOCHS"] = "2",
            ["BACKPROP__CLUSTER__EXCHANGE__SERVERS"] = "2",
        });
        project.ReportingFailures(output, () =>
        {
            project.Compose(Build, "up", "-d", "--build", "--scale", "worker=2", "--scale", "server=1");
            string coordinator = Assert.Single(project.Containers("coordinator"));

            var (summary, logs) = Completed(coordinator);
            AssertTlsIsOn(logs);
            Assert.Contains("all 2 shards of the parameter server are ready", logs, StringComparison.Ordinal);
            Assert.Equal(2, summary.GetProperty("epochs").GetInt32());
            string server = Assert.Single(project.Containers("server"));
            int exit = ComposeProject.Wait(server, TimeSpan.FromMinutes(1));
            string serverLogs = ComposeProject.Logs(server);
            Assert.True(exit == 0, $"server exit {exit}:\n{serverLogs}");
            Assert.Contains("holding shard 1 of 2", serverLogs, StringComparison.Ordinal);
            Assert.Contains("tensor lane listening on port", serverLogs, StringComparison.Ordinal);
            Assert.Contains("(mutual TLS)", serverLogs, StringComparison.Ordinal);
            output.WriteLine($"sharded: test accuracy {summary.GetProperty("test_accuracy").GetDouble():P2}");
        });
    }

    /// <summary>
    /// With deploy/compose.standby.yml on top, docker kill of the active coordinator mid-job: the
    /// standby takes the job over from the shared run folder's checkpoint, the workers follow it,
    /// and it finishes the job.
    /// </summary>
    [DeployTierFact]
    public void Compose_with_a_standby_should_finish_the_job_when_the_active_coordinator_is_killed()
    {
        using var project = new ComposeProject(
            v2: true,
            new Dictionary<string, string>
            {
                ["BACKPROP__TRAINING__EPOCHS"] = "4",
                ["BACKPROP__TRAINING__BATCH_SIZE"] = "32",
                ["BACKPROP_MIN_WORKERS"] = "2",
            },
            "deploy/compose.standby.yml");
        project.ReportingFailures(output, () =>
        {
            project.Compose(Build, "up", "-d", "--build", "--scale", "worker=2");
            string active = Assert.Single(project.Containers("coordinator"));
            string standby = Assert.Single(project.Containers("standby"));

            WaitForLine(active, "epoch 1/4");
            WaitForLine(standby, "standing by");
            var killed = System.Diagnostics.Stopwatch.StartNew();
            Shell.Check("docker", ["kill", active], TimeSpan.FromMinutes(1));
            WaitForLine(standby, "starting with 2 worker(s)");
            output.WriteLine($"docker kill of the active coordinator → the standby training with both workers: {killed.Elapsed.TotalSeconds:F1} s");

            var (summary, logs) = Completed(standby);
            Assert.Contains("taking the job in /srv/backprop/runs/standby-job over", logs, StringComparison.Ordinal);
            Assert.Matches(@"resumed from \S+ at epoch [2-4]", logs);
            Assert.Equal(4, summary.GetProperty("epochs").GetInt32());
            Assert.Contains("tensor lane listening on port 4054 (mutual TLS)", logs, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(project.Runs, "standby-job", "model.bpm")), "no model in the shared run folder");
            foreach (string worker in project.Containers("worker"))
            {
                Assert.Equal(0, ComposeProject.Wait(worker, Job));
            }
        });
    }

    /// <summary>
    /// While the coordinator waits for a second worker: a raw TCP client writes junk to both its
    /// ports, then a worker without TLS and one with a certificate of another CA (from <c>backprop
    /// certs create</c> run apart) try to join. Neither worker gets in and each gives up with its own
    /// message; the coordinator, unharmed, starts and finishes the job once a worker with the
    /// cluster's certificate comes.
    /// </summary>
    [DeployTierFact]
    public void Compose_should_keep_out_workers_without_the_clusters_certificate()
    {
        using var project = new ComposeProject(v2: true, new Dictionary<string, string>
        {
            ["BACKPROP__TRAINING__EPOCHS"] = "2",
            ["BACKPROP_MIN_WORKERS"] = "2",
        });
        project.ReportingFailures(output, () =>
        {
            project.Compose(Build, "up", "-d", "--build", "--scale", "worker=1");
            string coordinator = Assert.Single(project.Containers("coordinator"));
            WaitForLine(coordinator, " ready");
            WaitUntilHealthy(coordinator);

            string foreign = Path.Combine(project.Folder, "foreign");
            Directory.CreateDirectory(foreign);
            Shell.Check("chown", ["1654:1654", foreign], TimeSpan.FromMinutes(1));
            Shell.Check("docker", ["run", "--rm", "-u", "1654:1654", "-v", $"{foreign}:/out", project.Image, "certs", "create", "--out", "/out"], TimeSpan.FromMinutes(1));

            // A client of no protocol at all: an HTTP request to Akka's port, text to the lane's.
            const string Garbage = "exec 3<>/dev/tcp/coordinator/4053 && printf 'GET / HTTP/1.1\\r\\nHost: coordinator\\r\\n\\r\\n' >&3 && "
                + "exec 4<>/dev/tcp/coordinator/4054 && printf 'no lane frame' >&4 && sleep 2";
            var (garbageCode, garbageLogs) = project.TryCompose(Job, "run", "--rm", "--no-deps", "--entrypoint", "bash", "worker", "-c", Garbage);
            Assert.True(garbageCode == 0, garbageLogs);

            const string GiveUpSoon = "BACKPROP__CLUSTER__JOIN_TIMEOUT=10s";
            (string[] Settings, string Failure)[] intruders =
            [
                // Plain TCP: the coordinator's TLS end drops every connection, the worker hears nothing.
                (["-e", "BACKPROP__CLUSTER__TLS__ENABLED=off"], "no coordinator answered"),

                // TLS with a CA of its own: each side refuses the other's certificate.
                (
                    [
                        "-v", $"{foreign}:/srv/backprop/foreign:ro",
                        "-e", "BACKPROP__CLUSTER__TLS__CA=/srv/backprop/foreign/ca.crt",
                        "-e", "BACKPROP__CLUSTER__TLS__CERTIFICATE=/srv/backprop/foreign/worker.crt",
                        "-e", "BACKPROP__CLUSTER__TLS__KEY=/srv/backprop/foreign/worker.key",
                    ],
                    "every TLS handshake with the coordinator failed"),
            ];
            foreach (var (settings, failure) in intruders)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var (code, intruderLogs) = project.TryCompose(Job, ["run", "--rm", "--no-deps", "-e", GiveUpSoon, .. settings, "worker"]);
                output.WriteLine($"intruder {string.Join(' ', settings)}: exit {code} after {clock.Elapsed.TotalSeconds:F1} s");
                Assert.True(code != 0, intruderLogs);
                Assert.Contains(failure, intruderLogs, StringComparison.Ordinal);
            }

            // Only the cluster's own worker got as far as registering; with it alone the job has not started.
            string waiting = ComposeProject.Logs(coordinator);
            Assert.Single(waiting.Split('\n'), line => line.Contains(" registered (", StringComparison.Ordinal));
            Assert.DoesNotContain("starting with", waiting, StringComparison.Ordinal);

            project.Compose(Build, "up", "-d", "--no-deps", "--scale", "worker=2", "worker");
            var (summary, logs) = Completed(coordinator);
            AssertTlsIsOn(logs);
            Assert.Equal(2, summary.GetProperty("workers").GetInt32());

            // The lane refused the one connection that sent text instead of a TLS handshake.
            Assert.Equal(1, summary.GetProperty("rejected_by_reason").GetProperty("lane-protocol").GetInt64());
        });
    }

    /// <summary>The coordinator advertises itself under Akka's TLS protocol and serves the lane over mutual TLS.</summary>
    private static void AssertTlsIsOn(string coordinatorLogs)
    {
        Assert.Contains("at akka.ssl.tcp://backprop@coordinator:4053", coordinatorLogs, StringComparison.Ordinal);
        Assert.Contains("tensor lane listening on port 4054 (mutual TLS)", coordinatorLogs, StringComparison.Ordinal);
    }

    /// <summary>Waits until the container's healthcheck (its listening Akka port) passes.</summary>
    private static void WaitUntilHealthy(string container)
    {
        var deadline = DateTime.UtcNow + Job;
        string status;
        while ((status = Shell.Check("docker", ["inspect", "--format", "{{.State.Health.Status}}", container], Job).Trim()) != "healthy")
        {
            Assert.True(DateTime.UtcNow < deadline, $"health {status}:\n{ComposeProject.Logs(container)}");
            Thread.Sleep(1000);
        }
    }

    /// <summary>Waits until a container's log holds <paramref name="text"/>.</summary>
    private static void WaitForLine(string container, string text)
    {
        var deadline = DateTime.UtcNow + Job;
        while (!ComposeProject.Logs(container).Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, ComposeProject.Logs(container));
            Thread.Sleep(500);
        }
    }

    /// <summary>Waits for the coordinator to exit 0 with a completed job; its summary and logs.</summary>
    private static (System.Text.Json.JsonElement Summary, string Logs) Completed(string coordinator)
    {
        int code = ComposeProject.Wait(coordinator, Job);
        string logs = ComposeProject.Logs(coordinator);
        Assert.True(code == 0, $"coordinator exit {code}:\n{logs}");
        var summary = ComposeProject.Summary(logs);
        Assert.True(summary.GetProperty("completed").GetBoolean(), logs);
        return (summary, logs);
    }
}
