using System.Text;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Configuration;

/// <summary>
/// Writes fully resolved settings as HOCON: every key of the <c>backprop</c> section, in the order of
/// <c>reference.conf</c>, values spelled as a configuration file spells them. <see cref="SettingsReader"/> reads
/// the text back to equal settings, so a run folder's <c>config.conf</c> repeats the run.
/// </summary>
public static class SettingsWriter
{
    /// <summary>The settings as HOCON text.</summary>
    /// <param name="settings">The settings; not validated here.</param>
    /// <returns>A <c>backprop { ... }</c> block, two-space indented, ending in a newline.</returns>
    public static string ToHocon(BackpropSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = new Block();
        text.Line("# The fully resolved settings: reference.conf, the configuration file and the flags together.");
        text.Open("backprop");
        Data(text, settings.Data);
        Model(text, settings.Model);
        Optimizer(text, settings.Optimizer);
        Schedule(text, settings.Schedule);
        Training(text, settings.Training);
        text.Close();
        return text.ToString();
    }

    /// <summary>An activation as a configuration file names it (<c>leaky-relu</c>, <c>gelu-erf</c>).</summary>
    /// <param name="kind">The activation.</param>
    /// <returns>Its name.</returns>
    public static string ActivationName(Numerics.Elementwise.ActivationKind kind) => SettingNames.Activations.Format(kind);

    /// <summary>Text as a double-quoted HOCON string that reads back unchanged, for override values such as paths.</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The quoted, escaped text.</returns>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return HoconFormat.Quote(text);
    }

    /// <summary>A list of hidden layers as one HOCON value, for an override of <c>backprop.model.layers</c>.</summary>
    /// <param name="layers">The layers, first to last.</param>
    /// <returns><c>[{ units = 64, ... }, ...]</c>, or <c>[]</c>.</returns>
    public static string Layers(IReadOnlyList<LayerSettings> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        return "[" + string.Join(", ", layers.Select(Layer)) + "]";
    }

    private static void Data(Block text, DataSettings data)
    {
        text.Open("data");
        text.Key("path", HoconFormat.Quote(data.Path));
        text.Key("test-path", HoconFormat.OptionalText(data.TestPath));
        text.Key("target", HoconFormat.OptionalText(data.Target));
        text.Key("test-split", HoconFormat.Number(data.TestSplit));
        text.Key("scaling", SettingNames.Scalings.Format(data.Scaling));
        text.Key("task", data.Task is { } task ? SettingNames.Tasks.Format(task) : SettingNames.Auto);
        text.Key("max-classes", HoconFormat.Number(data.MaxClasses));
        text.Close();
    }

    private static void Model(Block text, ModelSettings model)
    {
        text.Open("model");
        if (model.Layers.Count == 0)
        {
            text.Key("layers", "[]");
        }
        else
        {
            text.Line("layers = [");
            foreach (var layer in model.Layers)
            {
                text.Line("  " + Layer(layer));
            }

            text.Line("]");
        }

        text.Key("inputs", HoconFormat.OptionalNumber(model.Inputs));
        text.Key("outputs", HoconFormat.OptionalNumber(model.Outputs));
        text.Key("loss", model.Loss is { } loss ? SettingNames.Losses.Format(loss) : HoconFormat.Null);
        text.Key("output-init", SettingNames.Initializers.Format(model.OutputInit));
        text.Close();
    }

    private static string Layer(LayerSettings layer) =>
        $"{{ units = {HoconFormat.Number(layer.Units)}"
        + $", activation = {SettingNames.Activations.Format(layer.Activation.Kind)}"
        + $", slope = {HoconFormat.Number(layer.Activation.Slope)}"
        + $", dropout = {HoconFormat.Number(layer.Dropout)}"
        + $", init = {SettingNames.Initializers.Format(layer.Init)}"
        + $", init-scale = {HoconFormat.Number(layer.InitScale)}"
        + $", bias = {HoconFormat.Number(layer.Bias)} }}";

    private static void Optimizer(Block text, OptimizerSettings optimizer)
    {
        text.Open("optimizer");
        text.Key("name", SettingNames.Optimizers.Format(optimizer.Kind));
        text.Key("learning-rate", HoconFormat.Number(optimizer.LearningRate));
        text.Key("momentum", HoconFormat.Number(optimizer.Momentum));
        text.Key("beta1", HoconFormat.Number(optimizer.Beta1));
        text.Key("beta2", HoconFormat.Number(optimizer.Beta2));
        text.Key("epsilon", HoconFormat.Number(optimizer.Epsilon));
        text.Key("alpha", HoconFormat.Number(optimizer.Alpha));
        text.Key("weight-decay", HoconFormat.Number(optimizer.WeightDecay));
        text.Key("clip-norm", HoconFormat.Number(optimizer.ClipNorm));
        text.Close();
    }

    private static void Schedule(Block text, ScheduleSettings schedule)
    {
        text.Open("schedule");
        text.Key("name", SettingNames.Schedules.Format(schedule.Kind));
        text.Key("step-epochs", HoconFormat.Number(schedule.StepEpochs));
        text.Key("gamma", HoconFormat.Number(schedule.Gamma));
        text.Key("min-learning-rate", HoconFormat.Number(schedule.MinLearningRate));
        text.Key("warmup-steps", HoconFormat.Number(schedule.WarmupSteps));
        text.Close();
    }

    private static void Training(Block text, TrainingSettings training)
    {
        text.Open("training");
        text.Key("epochs", HoconFormat.Number(training.Epochs));
        text.Key("batch-size", HoconFormat.Number(training.BatchSize));
        text.Key("seed", HoconFormat.Number(training.Seed));
        text.Key("validation-split", HoconFormat.Number(training.ValidationSplit));
        text.Key("checkpoint-every", HoconFormat.Number(training.CheckpointEvery));
        text.Key("threads", HoconFormat.Number(training.Threads));
        text.Key("init-from", HoconFormat.OptionalText(training.InitFrom));
        text.Key("freeze-layers", HoconFormat.Number(training.FreezeLayers));
        text.Key("replace-output", HoconFormat.Boolean(training.ReplaceOutput));
        var early = training.EarlyStopping;
        text.Open("early-stopping");
        text.Key("metric", SettingNames.Metrics.Format(early.Metric));
        text.Key("patience", HoconFormat.Number(early.Patience));
        text.Key("min-delta", HoconFormat.Number(early.MinDelta));
        text.Key("restore-best", HoconFormat.Boolean(early.RestoreBest));
        text.Close();
        text.Close();
    }

    /// <summary>Indented lines of nested blocks.</summary>
    private sealed class Block
    {
        private readonly StringBuilder _text = new();
        private int _depth;

        public void Open(string key)
        {
            Line(key + " {");
            _depth++;
        }

        public void Close()
        {
            _depth--;
            Line("}");
        }

        public void Key(string key, string value) => Line($"{key} = {value}");

        public void Line(string line) => _text.Append(' ', 2 * _depth).Append(line).Append('\n');

        public override string ToString() => _text.ToString();
    }
}
