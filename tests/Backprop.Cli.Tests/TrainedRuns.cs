namespace Backprop.Cli.Tests;

/// <summary>
/// Two short runs on the builtin Fashion-MNIST subset, trained once for every test class that reads
/// run folders: a local one and one on an in-process cluster of two workers, side by side under one root.
/// </summary>
public sealed class TrainedRuns : IDisposable
{
    /// <summary>The collection of the tests that share these runs (one after another: the report redraws their plots).</summary>
    public const string Collection = "trained runs";

    private readonly TempFolder _temp = new();

    public TrainedRuns()
    {
        Root = _temp.File("runs");
        Local = Path.Combine(Root, "20250102-030405-local");
        Cluster = Path.Combine(Root, "20250102-030500-cluster");
        LocalOutput = Train(Local, "--epochs", "2", "--metrics-every", "8");
        ClusterOutput = Train(Cluster, "--epochs", "2", "--workers", "2", "--lr", "0.02");
    }

    /// <summary>The folder of both runs.</summary>
    public string Root { get; }

    /// <summary>The local run's folder.</summary>
    public string Local { get; }

    /// <summary>The cluster run's folder.</summary>
    public string Cluster { get; }

    /// <summary>What the local run printed.</summary>
    public string LocalOutput { get; }

    /// <summary>What the cluster run printed.</summary>
    public string ClusterOutput { get; }

    public void Dispose() => _temp.Dispose();

    private static string Train(string runDirectory, params string[] flags)
    {
        var (code, output, error) = CliRunner.Run(["train", "--run-dir", runDirectory, "--no-progress", "--threads", "1", .. flags]);
        Assert.True(code == 0, $"train exited {code}: {error}");
        return output + error;
    }
}

/// <summary>Shares one <see cref="TrainedRuns"/> among the test classes of its collection.</summary>
[CollectionDefinition(TrainedRuns.Collection)]
public sealed class TrainedRunsGroup : ICollectionFixture<TrainedRuns>;
