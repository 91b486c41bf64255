using Backprop.Cluster.Configuration;
using Backprop.Nn.Jobs;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Tests;

/// <summary>A small real job (the builtin Fashion-MNIST subset, a 784-16-10 MLP) in a temporary run folder.</summary>
internal sealed class JobFixture : IDisposable
{
    public JobFixture(int batchSize = 100, int epochs = 2)
    {
        Settings = new BackpropSettings
        {
            Data = new DataSettings { Path = "builtin:fashion-mnist-small" },
            Model = new ModelSettings { Layers = [new LayerSettings { Units = 16 }] },
            Training = new TrainingSettings { Epochs = epochs, BatchSize = batchSize, Seed = 9, Threads = 1 },
        };
        ConfigText = SettingsWriter.ToHocon(Settings);
        RunDirectory = Path.Combine(Path.GetTempPath(), "backprop-job-" + Guid.NewGuid().ToString("N")[..10]);
    }

    public BackpropSettings Settings { get; }

    public string ConfigText { get; }

    public string RunDirectory { get; }

    public TrainingJobOptions Options => new() { Settings = Settings, ConfigText = ConfigText, RunDirectory = RunDirectory };

    public TrainingSetup Setup() => TrainingSetup.Create(Options, null);

    public void Dispose()
    {
        if (Directory.Exists(RunDirectory))
        {
            Directory.Delete(RunDirectory, recursive: true);
        }
    }
}
