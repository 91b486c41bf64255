using Backprop.Cluster.Configuration;
using Backprop.Nn.Jobs;
using Backprop.Nn.Models;
using Backprop.Nn.Settings;
using Backprop.Nn.Training;
using Backprop.Numerics.Gemm;

namespace Backprop.Cluster.Tests;

/// <summary>Jobs of given settings, each in a run folder of its own under one temporary root, deleted on dispose.</summary>
/// <param name="prefix">The root folder's name before its random suffix.</param>
internal sealed class RunFolders(string prefix) : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>A job of <paramref name="settings"/> in the run folder <paramref name="name"/>.</summary>
    public TrainingJobOptions Job(BackpropSettings settings, string name) => new()
    {
        Settings = settings,
        ConfigText = SettingsWriter.ToHocon(settings),
        RunDirectory = Path.Combine(Root, name),
    };

    /// <summary>
    /// The parameters after training <paramref name="settings"/> here, each batch cut into
    /// <paramref name="slices"/> slices summed in order: what N workers must end at, bit for bit.
    /// </summary>
    public float[] TrainLocally(BackpropSettings settings, int slices)
    {
        var setup = TrainingSetup.Create(Job(settings, $"local-{slices}-{Guid.NewGuid().ToString("N")[..6]}"), null);
        using var gemm = new GemmEngine(new GemmOptions { Threads = 1 });
        var network = new Network(setup.Spec, setup.Parameters, gemm);
        var trainer = new Trainer(network, setup.Optimizer, setup.Schedule, settings.Training, setup.Data.Train, setup.Data.Validation, setup.Data.Test, slices);
        trainer.Run(null, null, CancellationToken.None);
        return network.Parameters;
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
