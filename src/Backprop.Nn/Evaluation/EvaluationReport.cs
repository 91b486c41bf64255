namespace Backprop.Nn.Evaluation;

/// <summary>The evaluation of a model on one dataset: classification or regression metrics.</summary>
/// <param name="Source">The dataset.</param>
/// <param name="Classification">Set for a classification dataset.</param>
/// <param name="Regression">Set for a regression dataset.</param>
public sealed record EvaluationReport(string Source, ClassificationMetrics? Classification, RegressionMetrics? Regression)
{
    /// <summary>Mean loss per sample.</summary>
    public double Loss => Classification?.Loss ?? Regression!.Loss;
}
