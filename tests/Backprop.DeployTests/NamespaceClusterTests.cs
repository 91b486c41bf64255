using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Backprop.DeployTests;

/// <summary>
/// Training across "machines" without a second machine: the coordinator and two workers each in a
/// network namespace of their own, on 1 Gbit/s links, trained to the end; the step time is reported
/// next to the same job on loopback.
/// </summary>
[Collection(DeployTierFactAttribute.Collection)]
public sealed class NamespaceClusterTests(ITestOutputHelper output)
{
    private const string Rate = "1gbit";
    private static readonly TimeSpan Job = TimeSpan.FromMinutes(4);

    /// <summary>The job completes across namespaces; its step time is printed beside loopback's.</summary>
    [DeployTierFact]
    public void A_cluster_across_network_namespaces_should_train_to_the_end()
    {
        Assert.True(NamespaceNetwork.Missing() is null, NamespaceNetwork.Missing());
        using var network = new NamespaceNetwork(3, Rate);
        var across = Train(network.Nodes, [NamespaceNetwork.Address(0), NamespaceNetwork.Address(1), NamespaceNetwork.Address(2)]);
        var loopback = Train(null, ["127.0.0.1", "127.0.0.1", "127.0.0.1"]);

        double acrossStep = StepMicros(across), loopbackStep = StepMicros(loopback);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"step time: {acrossStep / 1000:F2} ms across namespaces on {Rate} links vs {loopbackStep / 1000:F2} ms on loopback ({acrossStep / loopbackStep:F2}x); samples/s {across.GetProperty("train_samples_per_sec").GetDouble():F0} vs {loopback.GetProperty("train_samples_per_sec").GetDouble():F0}"));
        Assert.True(across.GetProperty("test_accuracy").GetDouble() > 0.7);
        Assert.Equal(2, across.GetProperty("workers").GetInt32());
    }

    private static double StepMicros(JsonElement summary) => summary.GetProperty("step_breakdown_us").GetProperty("step").GetDouble();

    /// <summary>A coordinator on node 0 and workers on nodes 1 and 2; null spaces means this namespace.</summary>
    private static JsonElement Train(List<string>? spaces, string[] addresses)
    {
        var folder = Directory.CreateTempSubdirectory("backprop-netns-");
        try
        {
            int port = 4053 + Random.Shared.Next(1000);
            using var coordinator = BackpropProgram.Start(spaces?[0], ["coordinator", "--host", addresses[0], "--port", port.ToString(CultureInfo.InvariantCulture), "--min-workers", "2",
                "--data", "builtin:fashion-mnist-small", "--epochs", "3", "--threads", "1", "--json", "--run-dir", Path.Combine(folder.FullName, "run")]);
            using var first = BackpropProgram.Start(spaces?[1], ["worker", "--join", $"{addresses[0]}:{port}", "--host", addresses[1], "--threads", "1"]);
            using var second = BackpropProgram.Start(spaces?[2], ["worker", "--join", $"{addresses[0]}:{port}", "--host", addresses[2], "--threads", "1"]);
            int code = coordinator.WaitForExit(Job);
            Assert.True(code == 0, $"coordinator exit {code}:\n{coordinator.Output}\nworker:\n{first.Output}");
            Assert.Equal(0, first.WaitForExit(TimeSpan.FromMinutes(1)));
            Assert.Equal(0, second.WaitForExit(TimeSpan.FromMinutes(1)));
            var summary = BackpropProgram.Summary(coordinator.Output);
            Assert.True(summary.GetProperty("completed").GetBoolean());
            return summary;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
