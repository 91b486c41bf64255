using Backprop.Nn.Optimizers;

namespace Backprop.Nn.Settings;

/// <summary>The update rule and its hyperparameters (<c>backprop.optimizer</c>).</summary>
public sealed record OptimizerSettings
{
    /// <summary><c>name</c>: sgd, momentum, nesterov, adam, adamw, rmsprop or adagrad.</summary>
    public OptimizerKind Kind { get; init; } = OptimizerKind.Momentum;

    /// <summary><c>learning-rate</c>: the base rate the schedule scales.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary><c>momentum</c>: for momentum and nesterov (RMSProp runs without momentum, as PyTorch's default).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary><c>beta1</c>: Adam's first-moment decay.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary><c>beta2</c>: Adam's second-moment decay.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary><c>epsilon</c>: added to denominators.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary><c>alpha</c>: RMSProp's smoothing constant.</summary>
    public double Alpha { get; init; } = 0.99;

    /// <summary><c>weight-decay</c>: L2 penalty on the weights (decoupled for AdamW); biases are not decayed.</summary>
    public double WeightDecay { get; init; }

    /// <summary><c>clip-norm</c>: the gradient's global L2 norm is scaled down to this when above it; 0 turns clipping off.</summary>
    public double ClipNorm { get; init; }

    /// <summary>Throws <see cref="InvalidSettingException"/> for the first bad value.</summary>
    public void Validate()
    {
        SettingChecks.Positive("backprop.optimizer.learning-rate", LearningRate);
        SettingChecks.Fraction("backprop.optimizer.momentum", Momentum);
        SettingChecks.Fraction("backprop.optimizer.beta1", Beta1);
        SettingChecks.Fraction("backprop.optimizer.beta2", Beta2);
        SettingChecks.Positive("backprop.optimizer.epsilon", Epsilon);
        SettingChecks.Fraction("backprop.optimizer.alpha", Alpha);
        SettingChecks.NonNegative("backprop.optimizer.weight-decay", WeightDecay);
        SettingChecks.NonNegative("backprop.optimizer.clip-norm", ClipNorm);
        if (Kind == OptimizerKind.Nesterov && Momentum == 0)
        {
            throw new InvalidSettingException("backprop.optimizer.momentum", "nesterov needs a momentum above 0.");
        }
    }
}
