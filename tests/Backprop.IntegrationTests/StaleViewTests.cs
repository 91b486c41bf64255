namespace Backprop.IntegrationTests;

/// <summary>
/// A worker hung (SIGSTOP) while another worker's death was still unresolved in its view wakes up to
/// a view that has been unstable for longer than the split-brain resolver's patience. Akka's
/// down-all-when-unstable precaution would then have it down every node, the coordinator included,
/// and end the job; found by tests/endurance/run.sh. The coordinator must stay and the worker must
/// only remove itself and rejoin as a new member.
/// </summary>
public sealed class StaleViewTests : IDisposable
{
    private const string Downed = "this member has been downed";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private readonly Workspace _workspace = new();

    [LongTierFact]
    [Trait(LongTier.Trait, LongTier.Long)]
    public void A_worker_hung_while_another_death_was_unresolved_should_not_down_the_coordinator_when_it_wakes()
    {
        int port = LoopbackPort.Free();
        string join = $"127.0.0.1:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        using var coordinator = BackpropProcess.Start(
            _workspace.Path,
            "coordinator", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--min-workers", "3",
            "--data", "builtin:fashion-mnist-small", "--epochs", "500", "--batch", "32", "--threads", "1", "--json", "--no-progress", "--run-dir", _workspace.File("run"));
        var workers = Enumerable.Range(0, 3).Select(_ => BackpropProcess.Start(_workspace.Path, "worker", "--join", join, "--host", "127.0.0.1", "--threads", "1")).ToList();
        try
        {
            TrainingWorkflowTests.WaitFor(() => coordinator.Stderr.Contains("epoch 1/500", StringComparison.Ordinal), coordinator);

            // One worker dies; once it is unreachable (in every view, about the same moment) and
            // before the resolver downs it (3 s later), another worker freezes for 10 s.
            workers[2].Signal(9);
            TrainingWorkflowTests.WaitFor(() => coordinator.Stderr.Contains(" unreachable", StringComparison.Ordinal), coordinator);
            Thread.Sleep(1000);
            workers[1].Signal(19);
            Thread.Sleep(10_000);
            workers[1].Signal(18);

            // It removes only itself and comes back as a new member of the same job (Akka's log is on stdout).
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (CountOf(workers[1].Stdout, "first step") < 2 && !coordinator.Stdout.Contains(Downed, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }

            Assert.DoesNotContain(Downed, coordinator.Stdout, StringComparison.Ordinal);
            Assert.True(CountOf(workers[1].Stdout, "first step") >= 2, workers[1].Stdout);
            Assert.Contains("rejoining as a new member", workers[1].Stdout, StringComparison.Ordinal);

            // The coordinator is still in charge: stopped, it checkpoints and releases the workers.
            coordinator.Signal(15);
            Assert.Equal(143, coordinator.WaitForExit(Long));
            Assert.Equal(0, workers[1].WaitForExit(TimeSpan.FromSeconds(60)));
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

    public void Dispose() => _workspace.Dispose();

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
