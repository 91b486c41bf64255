namespace Backprop.Nn.Settings;

/// <summary>Everything a training run is configured by: the <c>backprop</c> section of a configuration.</summary>
public sealed record BackpropSettings
{
    /// <summary><c>backprop.data</c>.</summary>
    public DataSettings Data { get; init; } = new();

    /// <summary><c>backprop.model</c>.</summary>
    public ModelSettings Model { get; init; } = new();

    /// <summary><c>backprop.optimizer</c>.</summary>
    public OptimizerSettings Optimizer { get; init; } = new();

    /// <summary><c>backprop.schedule</c>.</summary>
    public ScheduleSettings Schedule { get; init; } = new();

    /// <summary><c>backprop.training</c>.</summary>
    public TrainingSettings Training { get; init; } = new();

    /// <summary>Throws <see cref="InvalidSettingException"/> for the first bad value of any section.</summary>
    public void Validate()
    {
        Data.Validate();
        Model.Validate();
        Optimizer.Validate();
        Schedule.Validate();
        Training.Validate();
    }
}
