using Backprop.Nn.Schedules;

namespace Backprop.Nn.Settings;

/// <summary>The learning-rate schedule (<c>backprop.schedule</c>).</summary>
public sealed record ScheduleSettings
{
    /// <summary><c>name</c>: constant, step, exponential or cosine.</summary>
    public ScheduleKind Kind { get; init; } = ScheduleKind.Constant;

    /// <summary><c>step-epochs</c>: epochs between decays of the step schedule.</summary>
    public int StepEpochs { get; init; } = 10;

    /// <summary><c>gamma</c>: the factor of the step and exponential schedules.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary><c>min-learning-rate</c>: where cosine annealing ends.</summary>
    public double MinLearningRate { get; init; }

    /// <summary><c>warmup-steps</c>: steps of linear warm-up from 0 to the scheduled rate; 0 for none.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Throws <see cref="InvalidSettingException"/> for the first bad value.</summary>
    public void Validate()
    {
        SettingChecks.AtLeast("backprop.schedule.step-epochs", StepEpochs, 1);
        SettingChecks.Positive("backprop.schedule.gamma", Gamma);
        SettingChecks.NonNegative("backprop.schedule.min-learning-rate", MinLearningRate);
        SettingChecks.AtLeast("backprop.schedule.warmup-steps", WarmupSteps, 0);
    }
}
