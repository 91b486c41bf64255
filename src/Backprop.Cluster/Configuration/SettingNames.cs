using Backprop.Nn.Data;
using Backprop.Nn.Initialization;
using Backprop.Nn.Losses;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Schedules;
using Backprop.Nn.Training;
using Backprop.Numerics.Elementwise;

namespace Backprop.Cluster.Configuration;

/// <summary>The configuration names of every enum the settings use; the reader and the writer share them.</summary>
internal static class SettingNames
{
    /// <summary>What an optional choice is set to for "decide from the data", besides null.</summary>
    public const string Auto = "auto";

    /// <summary><c>activation</c> of a layer.</summary>
    public static EnumSpelling<ActivationKind> Activations { get; } = new(
        [
            ("identity", ActivationKind.Identity), ("sigmoid", ActivationKind.Sigmoid), ("tanh", ActivationKind.Tanh),
            ("relu", ActivationKind.Relu), ("leaky-relu", ActivationKind.LeakyRelu), ("gelu", ActivationKind.Gelu),
            ("gelu-erf", ActivationKind.GeluErf),
        ],
        []);

    /// <summary><c>init</c> of a layer and <c>output-init</c>; Glorot and Kaiming are the same initialisers by their other names.</summary>
    public static EnumSpelling<InitializerKind> Initializers { get; } = new(
        [
            ("auto", InitializerKind.Auto), ("uniform", InitializerKind.Uniform), ("normal", InitializerKind.Normal),
            ("xavier-uniform", InitializerKind.XavierUniform), ("xavier-normal", InitializerKind.XavierNormal),
            ("he-uniform", InitializerKind.HeUniform), ("he-normal", InitializerKind.HeNormal),
        ],
        [
            ("glorot-uniform", InitializerKind.XavierUniform), ("glorot-normal", InitializerKind.XavierNormal),
            ("kaiming-uniform", InitializerKind.HeUniform), ("kaiming-normal", InitializerKind.HeNormal),
        ]);

    /// <summary><c>backprop.model.loss</c>.</summary>
    public static EnumSpelling<LossKind> Losses { get; } = new(
        [
            ("softmax-cross-entropy", LossKind.SoftmaxCrossEntropy),
            ("binary-cross-entropy", LossKind.BinaryCrossEntropy),
            ("mse", LossKind.MeanSquaredError),
        ],
        [("mean-squared-error", LossKind.MeanSquaredError)]);

    /// <summary><c>backprop.optimizer.name</c>.</summary>
    public static EnumSpelling<OptimizerKind> Optimizers { get; } = new(
        [
            ("sgd", OptimizerKind.Sgd), ("momentum", OptimizerKind.Momentum), ("nesterov", OptimizerKind.Nesterov),
            ("adam", OptimizerKind.Adam), ("adamw", OptimizerKind.AdamW), ("rmsprop", OptimizerKind.RmsProp),
            ("adagrad", OptimizerKind.AdaGrad),
        ],
        []);

    /// <summary><c>backprop.schedule.name</c>.</summary>
    public static EnumSpelling<ScheduleKind> Schedules { get; } = new(
        [
            ("constant", ScheduleKind.Constant), ("step", ScheduleKind.Step),
            ("exponential", ScheduleKind.Exponential), ("cosine", ScheduleKind.Cosine),
        ],
        []);

    /// <summary><c>backprop.data.task</c>, besides <see cref="Auto"/>.</summary>
    public static EnumSpelling<TaskKind> Tasks { get; } = new(
        [("classification", TaskKind.Classification), ("regression", TaskKind.Regression)],
        []);

    /// <summary><c>backprop.data.scaling</c>.</summary>
    public static EnumSpelling<ScalingKind> Scalings { get; } = new(
        [
            ("auto", ScalingKind.Auto), ("none", ScalingKind.None), ("standardize", ScalingKind.Standardize),
            ("minmax", ScalingKind.MinMax), ("divide255", ScalingKind.Divide255),
        ],
        []);

    /// <summary><c>backprop.training.early-stopping.metric</c>.</summary>
    public static EnumSpelling<EarlyStoppingMetric> Metrics { get; } = new(
        [("val-loss", EarlyStoppingMetric.ValidationLoss), ("val-accuracy", EarlyStoppingMetric.ValidationAccuracy)],
        []);
}
