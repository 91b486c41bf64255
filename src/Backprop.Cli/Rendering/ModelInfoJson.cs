using System.Text.Json;
using Backprop.Cli.Runs;
using Backprop.Cluster.Configuration;
using Backprop.Nn.Data;
using Backprop.Nn.Parameters;

namespace Backprop.Cli.Rendering;

/// <summary>What <c>info --json</c> prints (snake_case keys).</summary>
internal sealed record ModelInfoJson
{
    public string Model { get; init; } = string.Empty;

    public int FormatVersion { get; init; }

    public string Architecture { get; init; } = string.Empty;

    public string Task { get; init; } = string.Empty;

    public string Loss { get; init; } = string.Empty;

    public int Inputs { get; init; }

    public int Outputs { get; init; }

    public int Parameters { get; init; }

    public IReadOnlyList<LayerJson> Layers { get; init; } = [];

    public IReadOnlyList<string>? Classes { get; init; }

    public IReadOnlyList<string> Features { get; init; } = [];

    public TransformJson DataTransform { get; init; } = new();

    public string Config { get; init; } = string.Empty;

    /// <summary>The run folder's summary.json as <c>train</c> wrote it, or null outside a run folder.</summary>
    public JsonElement? RunSummary { get; init; }

    public string? RunSummaryProblem { get; init; }

    public static ModelInfoJson From(ModelInfo info)
    {
        var model = info.Model;
        var spec = model.Spec;
        var layout = new ParameterLayout(spec.Widths);
        var layers = spec.Layers;
        return new ModelInfoJson
        {
            Model = info.Path,
            FormatVersion = info.FormatVersion,
            Architecture = spec.ToString(),
            Task = model.Task.ToString().ToLowerInvariant(),
            Loss = spec.Loss.ToString(),
            Inputs = spec.Inputs,
            Outputs = spec.Outputs,
            Parameters = info.ParameterCount,
            Layers = [.. layers.Select((layer, l) => new LayerJson
            {
                Index = l,
                Role = l == layers.Count - 1 ? "output" : "hidden",
                Inputs = spec.Widths[l],
                Units = layer.Units,
                Activation = SettingsWriter.ActivationName(layer.Activation.Kind),
                Slope = layer.Activation.Kind == Numerics.Elementwise.ActivationKind.LeakyRelu ? layer.Activation.Slope : null,
                Dropout = layer.Dropout,
                Parameters = layout.Weight(l).Length + layout.Bias(l).Length,
            })],
            Classes = model.Task == TaskKind.Classification ? model.ClassNames : null,
            Features = model.FeatureNames,
            DataTransform = new TransformJson
            {
                Kind = model.Scaler.Kind.ToString(),
                Formula = "(x - offset) * scale, per feature",
                Offset = model.Scaler.Offset,
                Scale = model.Scaler.Scale,
            },
            Config = model.Config,
            RunSummary = info.RunSummary,
            RunSummaryProblem = info.RunSummaryProblem,
        };
    }

    /// <summary>One dense layer.</summary>
    internal sealed record LayerJson
    {
        public int Index { get; init; }

        public string Role { get; init; } = string.Empty;

        public int Inputs { get; init; }

        public int Units { get; init; }

        public string Activation { get; init; } = string.Empty;

        public float? Slope { get; init; }

        public double Dropout { get; init; }

        public int Parameters { get; init; }
    }

    /// <summary>The feature scaling stored with the model.</summary>
    internal sealed record TransformJson
    {
        public string Kind { get; init; } = string.Empty;

        public string Formula { get; init; } = string.Empty;

        public IReadOnlyList<float> Offset { get; init; } = [];

        public IReadOnlyList<float> Scale { get; init; } = [];
    }
}
