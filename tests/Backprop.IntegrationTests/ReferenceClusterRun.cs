using System.Globalization;

namespace Backprop.IntegrationTests;

/// <summary>
/// The uninterrupted cluster run that the coordinator kill and failover tests compare their models
/// with: one coordinator and two workers on one job. It is the same job for all of them, so it runs
/// once per test run, on first use.
/// </summary>
internal static class ReferenceClusterRun
{
    /// <summary>The job's flags; the tests that interrupt it run it with these too.</summary>
    public static readonly string[] Job = ["--data", "builtin:fashion-mnist-small", "--epochs", "3", "--batch", "64", "--checkpoint-every", "10", "--threads", "1", "--json", "--no-progress"];

    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private static readonly Lazy<byte[]> Model = new(Train, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The final model.bpm of the uninterrupted run.</summary>
    public static byte[] ModelBytes => Model.Value;

    private static byte[] Train()
    {
        using var workspace = new Workspace();
        string runDir = workspace.File("reference");
        int port = LoopbackPort.FreeBelowEphemeral();
        var coordinator = BackpropProcess.Start(workspace.Path, ["coordinator", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--min-workers", "2", "--run-dir", runDir, .. Job]);
        string join = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var workers = Enumerable.Range(0, 2).Select(_ => BackpropProcess.Start(workspace.Path, "worker", "--join", join, "--host", "127.0.0.1", "--threads", "1")).ToList();
        try
        {
            int code = coordinator.WaitForExit(Long);
            Assert.True(code == 0, $"reference coordinator exit {code}\n{coordinator.Stderr}");
            Assert.True(SummaryJson.LastLine(coordinator.Stdout).GetProperty("completed").GetBoolean());
            return File.ReadAllBytes(Path.Combine(runDir, "model.bpm"));
        }
        finally
        {
            coordinator.Dispose();
            foreach (var worker in workers)
            {
                worker.WaitForExit(TimeSpan.FromSeconds(60));
                worker.Dispose();
            }
        }
    }
}
