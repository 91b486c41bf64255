namespace Backprop.Nn.Schedules;

/// <summary>How the learning rate moves over training, after the optional linear warm-up.</summary>
public enum ScheduleKind
{
    /// <summary>The base rate throughout.</summary>
    Constant,

    /// <summary>Multiplied by gamma every <c>step-epochs</c> epochs.</summary>
    Step,

    /// <summary>Multiplied by gamma every epoch.</summary>
    Exponential,

    /// <summary>Cosine annealing from the base rate to <c>min-learning-rate</c> over the whole run.</summary>
    Cosine,
}
