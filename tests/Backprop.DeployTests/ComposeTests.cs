using Xunit.Abstractions;

namespace Backprop.DeployTests;

/// <summary>
/// docker-compose.yml as a user runs it: built from the repository, a coordinator and three
/// workers, the job on the built-in dataset, results on the host; once as it is, once with a worker
/// killed mid-job. Compose v1 runs the first when it is installed.
/// </summary>
[Collection(DeployTierFactAttribute.Collection)]
public sealed class ComposeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Build = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan Job = TimeSpan.FromMinutes(4);

    /// <summary>up --scale worker=3, every container exits 0, the results stay on the host, down -v leaves nothing.</summary>
    [DeployTierFact]
    public void Compose_should_train_with_three_workers_and_leave_the_results_on_the_host()
    {
        bool v1 = ComposeProject.HasV1;
        using var project = new ComposeProject(v2: !v1, new Dictionary<string, string> { ["BACKPROP__TRAINING__EPOCHS"] = "3" });
        output.WriteLine($"compose {(v1 ? "v1 (docker-compose)" : "v2 (docker compose)")}, project {project.Name}");
        project.Compose(Build, "up", "-d", "--build", "--scale", "worker=3");

        string coordinator = Assert.Single(project.Containers("coordinator"));
        var (summary, logs) = Completed(coordinator);
        Assert.Equal(3, summary.GetProperty("epochs").GetInt32());
        Assert.True(summary.GetProperty("test_accuracy").GetDouble() > 0.7, logs);
        output.WriteLine($"test accuracy {summary.GetProperty("test_accuracy").GetDouble():P2}, {summary.GetProperty("workers").GetInt32()} workers at most");

        var workers = project.Containers("worker");
        Assert.Equal(3, workers.Count);
        foreach (string worker in workers)
        {
            int exit = ComposeProject.Wait(worker, TimeSpan.FromMinutes(1));
            Assert.True(exit == 0, $"worker exit {exit}:\n{ComposeProject.Logs(worker)}");
        }

        // The run folder is on the host, written by the container's user.
        string run = Assert.Single(Directory.GetDirectories(project.Runs));
        foreach (string file in new[] { "model.bpm", "checkpoint.bpk", "summary.json", "config.conf", "train.log" })
        {
            Assert.True(File.Exists(Path.Combine(run, file)), $"{file} missing from {run}");
        }

        project.Compose(TimeSpan.FromMinutes(2), "down", "-v");
        Assert.Equal(string.Empty, project.Leftovers());
        Assert.True(File.Exists(Path.Combine(run, "model.bpm")), "down -v removed the host's run folder");
    }

    /// <summary>docker kill of one worker mid-job: the job completes with the others.</summary>
    [DeployTierFact]
    public void Compose_should_finish_the_job_when_a_worker_is_killed()
    {
        using var project = new ComposeProject(v2: true, new Dictionary<string, string>
        {
            ["BACKPROP__TRAINING__EPOCHS"] = "6",
            ["BACKPROP__TRAINING__BATCH_SIZE"] = "32",
        });
        project.Compose(Build, "up", "-d", "--build", "--scale", "worker=3");
        string coordinator = Assert.Single(project.Containers("coordinator"));

        // Once the first epoch is over, kill a worker that is in the job.
        var deadline = DateTime.UtcNow + Job;
        while (!ComposeProject.Logs(coordinator).Contains("epoch 1/6", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, ComposeProject.Logs(coordinator));
            Thread.Sleep(500);
        }

        string victim = project.Containers("worker")[0];
        Shell.Check("docker", ["kill", victim], TimeSpan.FromMinutes(1));

        var (summary, logs) = Completed(coordinator);
        Assert.Equal(6, summary.GetProperty("epochs").GetInt32());
        Assert.Matches(@"worker \S+ (lost|unreachable)|worker \S+: tensor lane lost", logs);
        output.WriteLine($"short-handed steps {summary.GetProperty("short_handed_steps").GetInt64()}, test accuracy {summary.GetProperty("test_accuracy").GetDouble():P2}");
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
