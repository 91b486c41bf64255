namespace Backprop.Nn.Training;

/// <summary>What early stopping watches on the validation split after every epoch.</summary>
public enum EarlyStoppingMetric
{
    /// <summary>The validation loss; lower is better.</summary>
    ValidationLoss,

    /// <summary>The validation accuracy (classification only); higher is better.</summary>
    ValidationAccuracy,
}
