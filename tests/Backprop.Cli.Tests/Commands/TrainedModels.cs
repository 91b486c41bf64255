namespace Backprop.Cli.Tests.Commands;

/// <summary>
/// Two finished run folders, trained once per test class through the real <c>train</c> command: a Fashion-MNIST
/// classifier on the builtin subset and a regression model on the builtin diabetes table.
/// </summary>
public sealed class TrainedModels : IDisposable
{
    private readonly TempFolder _folder = new();

    public TrainedModels()
    {
        Classifier = Train("classifier", "--epochs", "1", "--batch", "256");
        Regression = Train("regression", "--data", "builtin:diabetes", "--epochs", "5", "--optimizer", "adam", "--lr", "0.03");
    }

    /// <summary>The classifier's run folder: 784-256-128-10, ten classes.</summary>
    public string Classifier { get; }

    /// <summary>The regression run folder: 10 features, one target.</summary>
    public string Regression { get; }

    public void Dispose() => _folder.Dispose();

    private string Train(string name, params string[] args)
    {
        string runDir = _folder.File(name);
        var (code, _, error) = CliRunner.Run(["train", "--no-progress", "--threads", "1", "--run-dir", runDir, .. args]);
        Assert.True(code == 0, error);
        return runDir;
    }
}
