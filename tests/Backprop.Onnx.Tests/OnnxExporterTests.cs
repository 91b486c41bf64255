using Backprop.Nn.Data;
using Backprop.Nn.Persistence;
using Backprop.Nn.Settings;
using Backprop.Numerics.Elementwise;
using Xunit.Abstractions;

namespace Backprop.Onnx.Tests;

/// <summary>
/// Exported models run in ONNX Runtime give what our own predict gives on the same raw samples: models
/// trained for real on the builtin data, loaded back from their model file, compared output by output.
/// </summary>
public sealed class OnnxExporterTests(ITestOutputHelper output)
{
    private const double ProbabilityTolerance = 1e-5;

    [Fact]
    public void Exported_classifier_should_match_predict_on_the_fashion_mnist_test_images()
    {
        using var folder = new TempFolder();
        var model = TrainedModels.Train(
            folder.File("run"),
            TrainedModels.Fashion,
            new ModelSettings { Layers = [new LayerSettings { Units = 64, Dropout = 0.1 }, new LayerSettings { Units = 32 }] },
            epochs: 2);

        double difference = CheckClassifier(model, TrainedModels.FashionTestImages);

        output.WriteLine($"784-64-32-10 relu, 1,000 raw test images: max |p_onnx - p_ours| = {difference:E2}");
    }

    [Theory]
    [MemberData(nameof(EveryActivation))]
    public void Exported_classifier_should_match_predict_for_each_activation(ActivationKind kind)
    {
        using var folder = new TempFolder();
        var activation = kind == ActivationKind.LeakyRelu ? Activation.LeakyRelu(0.2f) : new Activation(kind);
        var model = TrainedModels.Train(
            folder.File("run"),
            TrainedModels.Fashion,
            new ModelSettings { Layers = [new LayerSettings { Units = 16, Activation = activation }, new LayerSettings { Units = 12, Activation = activation }] },
            epochs: 1);

        double difference = CheckClassifier(model, TrainedModels.FashionTestImages);

        output.WriteLine($"{model.Spec}: max |p_onnx - p_ours| = {difference:E2}");
    }

    [Fact]
    public void Exported_binary_classifier_should_list_both_class_probabilities_as_predict_does()
    {
        using var folder = new TempFolder();
        var data = TrainedModels.WriteTwoClassCsv(folder.File("two-class.csv"));
        var model = TrainedModels.Train(folder.File("run"), data, TrainedModels.BinaryModel, epochs: 5);
        var raw = DatasetLoader.Load(data).Train;

        double difference = CheckClassifier(model, raw);

        Assert.Equal(1, model.Spec.Outputs);
        output.WriteLine($"{model.Spec}, {raw.Count} rows: max |p_onnx - p_ours| = {difference:E2}");
    }

    [Theory]
    [InlineData(ScalingKind.Standardize)]
    [InlineData(ScalingKind.MinMax)]
    [InlineData(ScalingKind.None)]
    public void Exported_regression_model_should_match_predict_on_the_diabetes_test_patients(ScalingKind scaling)
    {
        using var folder = new TempFolder();
        var model = TrainedModels.Train(
            folder.File("run"),
            TrainedModels.Diabetes(scaling),
            new ModelSettings { Layers = [new LayerSettings { Units = 64 }, new LayerSettings { Units = 32 }] },
            epochs: 60,
            TrainedModels.DiabetesOptimizer);
        var patients = TrainedModels.DiabetesTestPatients();

        var ours = Predictions.Ours(model, patients);
        var onnx = Predictions.Onnx(OnnxExporter.Export(model), patients.Features, patients.Count, model.Spec.Inputs)[OnnxNames.Prediction];

        Assert.Equal([patients.Count, 1], onnx.Shape);
        Assert.True(ours.Max() - ours.Min() > 1, "the model predicts (nearly) one value for every patient: a useless comparison");
        double absolute = Predictions.MaxAbsDifference(ours, onnx.Floats);
        double scaled = Predictions.MaxScaledDifference(ours, onnx.Floats);
        output.WriteLine(
            $"{model.Spec}, scaling {scaling}, {patients.Count} patients, predictions {ours.Min():F1}..{ours.Max():F1}: " +
            $"max |y_onnx - y_ours| = {absolute:E2}, relative {scaled:E2}");

        // The values are in the target's units (about 25 to 350), where one float step is 2e-6 to 3e-5:
        // the bound is relative above 1.
        Assert.True(scaled <= ProbabilityTolerance, $"max relative difference {scaled:E2} > {ProbabilityTolerance:E0}");
    }

    [Fact]
    public void Exported_model_should_take_any_batch_size()
    {
        using var folder = new TempFolder();
        var model = TrainedModels.Train(folder.File("run"), TrainedModels.Diabetes(ScalingKind.Standardize), new ModelSettings { Layers = [new LayerSettings { Units = 4 }] }, epochs: 1, TrainedModels.DiabetesOptimizer);
        var patients = TrainedModels.DiabetesTestPatients();
        byte[] onnx = OnnxExporter.Export(model);
        var ours = Predictions.Ours(model, patients);

        foreach (int rows in new[] { 1, 7, patients.Count })
        {
            var result = Predictions.Onnx(onnx, patients.Features[..(rows * model.Spec.Inputs)], rows, model.Spec.Inputs)[OnnxNames.Prediction];
            Assert.Equal([rows, 1], result.Shape);
            Assert.True(Predictions.MaxScaledDifference(ours.AsSpan(0, rows), result.Floats) <= ProbabilityTolerance);
        }
    }

    public static TheoryData<ActivationKind> EveryActivation() => [.. Enum.GetValues<ActivationKind>()];

    private static double CheckClassifier(SavedModel model, Dataset raw)
    {
        var ours = Predictions.AsClassProbabilities(model, Predictions.Ours(model, raw));
        var outputs = Predictions.Onnx(OnnxExporter.Export(model), raw.Features, raw.Count, model.Spec.Inputs);
        var probabilities = outputs[OnnxNames.Probabilities];
        var classes = outputs[OnnxNames.ClassIndex];
        int width = model.ClassNames.Count;

        Assert.Equal([raw.Count, width], probabilities.Shape);
        Assert.Equal([raw.Count], classes.Shape);
        double difference = Predictions.MaxAbsDifference(ours, probabilities.Floats);
        Assert.True(difference <= ProbabilityTolerance, $"max |p_onnx - p_ours| = {difference:E2} > {ProbabilityTolerance:E0}");

        // The class index is the argmax of the ONNX probabilities; where ours differ by rounding only
        // (a near tie), the two may pick different classes, so check it against ONNX's own probabilities
        // and count agreement with ours.
        int agree = 0;
        for (int r = 0; r < raw.Count; r++)
        {
            var row = probabilities.Floats.AsSpan(r * width, width);
            Assert.Equal(row.IndexOf(row.ToArray().Max()), (int)classes.Longs[r]);
            var ourRow = ours.AsSpan(r * width, width);
            agree += ourRow.IndexOf(ourRow.ToArray().Max()) == classes.Longs[r] ? 1 : 0;
        }

        Assert.True(agree >= raw.Count - 1, $"the class index agrees with predict on {agree} of {raw.Count} samples");
        return difference;
    }
}
