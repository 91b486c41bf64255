using System.Globalization;
using Xunit.Abstractions;

namespace Backprop.IntegrationTests;

/// <summary>
/// The processes of a failover test on loopback: two coordinators listed in every node's --join and
/// sharing one run folder (the first started first, so it is active), and the workers. Akka's own
/// log (--verbose) is on, and every process's output is written out when the test fails: a failure
/// seen from one process is often decided in another, and the membership log says which node downed which.
/// </summary>
internal sealed class FailoverCluster : IDisposable
{
    private const int SigCont = 18;
    private static readonly TimeSpan WorkerExit = TimeSpan.FromSeconds(60);
    private readonly string _workspace;
    private readonly string[] _job;
    private readonly string _join;

    private FailoverCluster(Workspace workspace, string[] job)
    {
        _workspace = workspace.Path;
        _job = job;
        RunDirectory = workspace.File("shared-run");
        PortA = LoopbackPort.FreeBelowEphemeral();
        int portB = LoopbackPort.FreeBelowEphemeral();
        while (portB == PortA)
        {
            portB = LoopbackPort.FreeBelowEphemeral();
        }

        PortB = portB;
        _join = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{PortA},127.0.0.1:{PortB}");
        Active = StartCoordinator(PortA);
        TrainingWorkflowTests.WaitFor(() => Active.Stderr.Contains("standing by", StringComparison.Ordinal), Active);
        Standby = StartCoordinator(PortB);

        // The workers only once the standby is a member: else the job can be over before it joins.
        TrainingWorkflowTests.WaitFor(() => Standby.Stderr.Contains("standing by", StringComparison.Ordinal), Standby);
    }

    /// <summary>The shared run folder.</summary>
    public string RunDirectory { get; }

    /// <summary>The first coordinator's port: it founds the cluster and runs the job.</summary>
    public int PortA { get; }

    /// <summary>The standby's port.</summary>
    public int PortB { get; }

    /// <summary>The coordinator started first.</summary>
    public BackpropProcess Active { get; }

    /// <summary>The coordinator started second, standing by.</summary>
    public BackpropProcess Standby { get; }

    /// <summary>The first coordinator started again with its command unchanged, if it was.</summary>
    public BackpropProcess? Restarted { get; private set; }

    /// <summary>The workers started so far.</summary>
    public List<BackpropProcess> Workers { get; } = [];

    /// <summary>Starts both coordinators and waits until each is a member.</summary>
    public static FailoverCluster Start(Workspace workspace, string[] job) => new(workspace, job);

    /// <summary>Starts two workers that join the coordinators' list.</summary>
    public void StartWorkers()
    {
        for (int i = 0; i < 2; i++)
        {
            Workers.Add(BackpropProcess.Start(_workspace, "worker", "--join", _join, "--host", "127.0.0.1", "--threads", "1", "--verbose"));
        }
    }

    /// <summary>Starts the first coordinator again with its command unchanged.</summary>
    public BackpropProcess RestartActive() => Restarted = StartCoordinator(PortA);

    /// <summary>Runs a test's body; when it fails, writes every process's output before the failure goes on.</summary>
    public void ReportingFailures(ITestOutputHelper output, Action body)
    {
        try
        {
            body();
        }
        catch
        {
            Report(output, "active coordinator", Active);
            Report(output, "standby coordinator", Standby);
            Report(output, "restarted coordinator", Restarted);
            for (int i = 0; i < Workers.Count; i++)
            {
                Report(output, $"worker {i}", Workers[i]);
            }

            throw;
        }
    }

    /// <summary>The coordinator that took the job over ended it: exit 0, the job complete, no step short-handed.</summary>
    public static void AssertFinishedTheJob(BackpropProcess coordinator, TimeSpan within)
    {
        int code = coordinator.WaitForExit(within);
        Assert.True(code == 0, $"coordinator exit {code}\n{coordinator.Stderr}");
        var summary = SummaryJson.LastLine(coordinator.Stdout);
        Assert.True(summary.GetProperty("completed").GetBoolean());
        Assert.Equal(0, summary.GetProperty("short_handed_steps").GetInt64());
    }

    /// <summary>Every worker exited 0, and the folder's model is byte for byte the uninterrupted run's.</summary>
    public void AssertWorkersDoneAndTheModelUninterrupted()
    {
        AssertWorkersDone();
        byte[] actual = File.ReadAllBytes(Path.Combine(RunDirectory, "model.bpm"));
        Assert.True(ReferenceClusterRun.ModelBytes.AsSpan().SequenceEqual(actual), "the model after the take-over differs from the uninterrupted run's");
    }

    /// <summary>Every worker exited 0.</summary>
    public void AssertWorkersDone()
    {
        foreach (var worker in Workers)
        {
            int exit = worker.WaitForExit(WorkerExit);
            Assert.True(exit == 0, $"worker exit {exit}\n{worker.Stdout}\n{worker.Stderr}");
        }
    }

    /// <summary>Wakes any paused process (a stopped one would outlive its kill), then ends them all.</summary>
    public void Dispose()
    {
        BackpropProcess?[] all = [Active, Standby, Restarted, .. Workers];
        foreach (var process in all.OfType<BackpropProcess>())
        {
            if (!process.HasExited)
            {
                process.Signal(SigCont);
            }

            process.Dispose();
        }
    }

    private static void Report(ITestOutputHelper output, string name, BackpropProcess? process)
    {
        if (process is not null)
        {
            output.WriteLine($"===== {name} (pid {process.Id}) stdout\n{process.Stdout}\n===== {name} stderr\n{process.Stderr}");
        }
    }

    private BackpropProcess StartCoordinator(int port) => BackpropProcess.Start(
        _workspace,
        ["coordinator", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--join", _join, "--run-dir", RunDirectory, "--verbose", .. _job]);
}
