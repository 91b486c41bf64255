using System.Collections.ObjectModel;
using Akka.Configuration;
using Backprop.Nn.Settings;
using Backprop.Numerics.Elementwise;

namespace Backprop.Cluster.Configuration;

/// <summary>
/// Builds <see cref="BackpropSettings"/> from the merged configuration, key by key. An absent key keeps the
/// record's default; types are checked here, ranges by the records' own <c>Validate</c>.
/// </summary>
internal static class SettingsBinder
{
    private const string LayerExample = "{ units = 128, activation = relu }";

    /// <summary>Reads the <c>backprop</c> section of <paramref name="config"/>.</summary>
    public static BackpropSettings Bind(Config config)
    {
        var root = HoconSection.Of(config.Root.GetObject().Items.GetValueOrDefault(KeySchema.Root), KeySchema.Root);
        return new BackpropSettings
        {
            Data = Data(root.Section("data")),
            Model = Model(root.Section("model")),
            Optimizer = Optimizer(root.Section("optimizer")),
            Schedule = Schedule(root.Section("schedule")),
            Training = Training(root.Section("training")),
        };
    }

    private static DataSettings Data(HoconSection section)
    {
        var defaults = new DataSettings();
        return new DataSettings
        {
            Path = section.Text("path", defaults.Path),
            TestPath = section.OptionalText("test-path", defaults.TestPath),
            Target = section.OptionalText("target", defaults.Target),
            TestSplit = section.Number("test-split", defaults.TestSplit),
            Scaling = section.Choice("scaling", SettingNames.Scalings, defaults.Scaling),
            Task = section.OptionalChoice("task", SettingNames.Tasks, defaults.Task),
            MaxClasses = section.WholeNumber("max-classes", defaults.MaxClasses),
        };
    }

    private static ModelSettings Model(HoconSection section)
    {
        var defaults = new ModelSettings();
        return new ModelSettings
        {
            Layers = Layers(section) ?? defaults.Layers,
            Inputs = section.OptionalWholeNumber("inputs", defaults.Inputs),
            Outputs = section.OptionalWholeNumber("outputs", defaults.Outputs),
            Loss = section.OptionalChoice("loss", SettingNames.Losses, defaults.Loss),
            OutputInit = section.Choice("output-init", SettingNames.Initializers, defaults.OutputInit),
        };
    }

    private static ReadOnlyCollection<LayerSettings>? Layers(HoconSection model)
    {
        if (model.Get("layers") is not { } value)
        {
            return null;
        }

        var elements = HoconValues.AsList(value) ?? throw new InvalidSettingException(
            KeySchema.Layers, $"expected a list of layers such as [{LayerExample}], got {HoconValues.Describe(value)}.");
        var layers = new LayerSettings[elements.Count];
        for (int i = 0; i < elements.Count; i++)
        {
            string path = $"{KeySchema.Layers}[{i}]";
            if (HoconValues.IsMissing(elements[i]) || !elements[i].IsObject())
            {
                throw new InvalidSettingException(
                    path, $"expected a layer such as {LayerExample}, got {HoconValues.Describe(elements[i])}.");
            }

            layers[i] = Layer(HoconSection.Of(elements[i], path));
        }

        return Array.AsReadOnly(layers);
    }

    private static LayerSettings Layer(HoconSection section)
    {
        var defaults = new LayerSettings();
        var kind = section.Choice("activation", SettingNames.Activations, defaults.Activation.Kind);
        return new LayerSettings
        {
            Units = section.RequiredWholeNumber("units", $"missing; every layer needs its number of units, as in {LayerExample}."),
            Activation = new Activation(kind, section.SingleNumber("slope", defaults.Activation.Slope)),
            Dropout = section.Number("dropout", defaults.Dropout),
            Init = section.Choice("init", SettingNames.Initializers, defaults.Init),
            InitScale = section.Number("init-scale", defaults.InitScale),
            Bias = section.Number("bias", defaults.Bias),
        };
    }

    private static OptimizerSettings Optimizer(HoconSection section)
    {
        var defaults = new OptimizerSettings();
        return new OptimizerSettings
        {
            Kind = section.Choice("name", SettingNames.Optimizers, defaults.Kind),
            LearningRate = section.Number("learning-rate", defaults.LearningRate),
            Momentum = section.Number("momentum", defaults.Momentum),
            Beta1 = section.Number("beta1", defaults.Beta1),
            Beta2 = section.Number("beta2", defaults.Beta2),
            Epsilon = section.Number("epsilon", defaults.Epsilon),
            Alpha = section.Number("alpha", defaults.Alpha),
            WeightDecay = section.Number("weight-decay", defaults.WeightDecay),
            ClipNorm = section.Number("clip-norm", defaults.ClipNorm),
        };
    }

    private static ScheduleSettings Schedule(HoconSection section)
    {
        var defaults = new ScheduleSettings();
        return new ScheduleSettings
        {
            Kind = section.Choice("name", SettingNames.Schedules, defaults.Kind),
            StepEpochs = section.WholeNumber("step-epochs", defaults.StepEpochs),
            Gamma = section.Number("gamma", defaults.Gamma),
            MinLearningRate = section.Number("min-learning-rate", defaults.MinLearningRate),
            WarmupSteps = section.WholeNumber("warmup-steps", defaults.WarmupSteps),
        };
    }

    private static TrainingSettings Training(HoconSection section)
    {
        var defaults = new TrainingSettings();
        return new TrainingSettings
        {
            Epochs = section.WholeNumber("epochs", defaults.Epochs),
            BatchSize = section.WholeNumber("batch-size", defaults.BatchSize),
            Seed = section.LongNumber("seed", defaults.Seed),
            ValidationSplit = section.Number("validation-split", defaults.ValidationSplit),
            CheckpointEvery = section.WholeNumber("checkpoint-every", defaults.CheckpointEvery),
            Threads = section.WholeNumber("threads", defaults.Threads),
            InitFrom = section.OptionalText("init-from", defaults.InitFrom),
            FreezeLayers = section.WholeNumber("freeze-layers", defaults.FreezeLayers),
            ReplaceOutput = section.Boolean("replace-output", defaults.ReplaceOutput),
            EarlyStopping = EarlyStopping(section.Section("early-stopping")),
        };
    }

    private static EarlyStoppingSettings EarlyStopping(HoconSection section)
    {
        var defaults = new EarlyStoppingSettings();
        return new EarlyStoppingSettings
        {
            Metric = section.Choice("metric", SettingNames.Metrics, defaults.Metric),
            Patience = section.WholeNumber("patience", defaults.Patience),
            MinDelta = section.Number("min-delta", defaults.MinDelta),
            RestoreBest = section.Boolean("restore-best", defaults.RestoreBest),
        };
    }
}
