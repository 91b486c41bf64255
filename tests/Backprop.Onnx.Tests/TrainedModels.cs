using System.Globalization;
using System.Text;
using Backprop.Nn.Data;
using Backprop.Nn.Jobs;
using Backprop.Nn.Losses;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Persistence;
using Backprop.Nn.Settings;

namespace Backprop.Onnx.Tests;

/// <summary>
/// Small models trained for real (a second or less each, one thread) and loaded back from their model file,
/// and the raw samples to feed them: exactly what a user has after <c>backprop train</c>.
/// </summary>
internal static class TrainedModels
{
    public const long Seed = 20240610;

    private static readonly Lazy<Dataset> FashionTest = new(() => BuiltinDatasets.Load(BuiltinDatasets.FashionMnistSmall).Test!);

    /// <summary>The builtin Fashion-MNIST subset's 1,000 test images, raw pixels 0–255.</summary>
    public static Dataset FashionTestImages => FashionTest.Value;

    public static SavedModel Train(string runDirectory, DataSettings data, ModelSettings model, int epochs, OptimizerSettings? optimizer = null)
    {
        var settings = new BackpropSettings
        {
            Data = data,
            Model = model,
            Optimizer = optimizer ?? new OptimizerSettings { Kind = OptimizerKind.Momentum, LearningRate = 0.05 },
            Training = new TrainingSettings { Epochs = epochs, BatchSize = 64, Seed = Seed, Threads = 1 },
        };
        var options = new TrainingJobOptions { Settings = settings, ConfigText = "# trained by Backprop.Onnx.Tests\n", RunDirectory = runDirectory };
        var summary = LocalTrainingJob.Run(options, null, null, CancellationToken.None);
        Assert.True(summary.Completed);
        return ModelFile.Load(Path.Combine(runDirectory, RunFiles.Model));
    }

    public static DataSettings Fashion => new() { Path = "builtin:" + BuiltinDatasets.FashionMnistSmall };

    public static DataSettings Diabetes(ScalingKind scaling) =>
        new() { Path = "builtin:" + BuiltinDatasets.Diabetes, Task = TaskKind.Regression, Scaling = scaling, TestSplit = 0.2 };

    /// <summary>
    /// Adam, as configs/diabetes.conf (the target is in its own units, 25 to 346, where SGD at 0.05 diverges), at a
    /// rate high enough to get away from predicting one value for everyone in a few dozen short epochs.
    /// </summary>
    public static OptimizerSettings DiabetesOptimizer => new() { Kind = OptimizerKind.Adam, LearningRate = 0.03 };

    /// <summary>The diabetes patients a run with <see cref="Diabetes"/> holds out as its test set, raw.</summary>
    public static Dataset DiabetesTestPatients()
    {
        var (all, _) = DatasetLoader.Load(Diabetes(ScalingKind.Standardize));
        return DataSplit.Holdout(all, 0.2, Seed).HeldOut;
    }

    /// <summary>A two-class CSV (two overlapping clouds) for the binary cross-entropy head; returns the settings to train on it.</summary>
    public static DataSettings WriteTwoClassCsv(string path, int rows = 300)
    {
        var random = new Random(20240611);
        var csv = new StringBuilder("x1,x2,x3,label\n");
        for (int r = 0; r < rows; r++)
        {
            int label = r % 2;
            double shift = label == 1 ? 1.0 : -1.0;
            csv.Append(CultureInfo.InvariantCulture, $"{(random.NextDouble() * 4) + shift:R},{(random.NextDouble() * 30) - (5 * shift):R},{random.NextDouble() * 100:R},{label}\n");
        }

        File.WriteAllText(path, csv.ToString());
        return new DataSettings { Path = path, TestSplit = 0.2 };
    }

    public static ModelSettings BinaryModel => new()
    {
        Layers = [new LayerSettings { Units = 8 }],
        Loss = LossKind.BinaryCrossEntropy,
    };
}
