namespace Backprop.Nn.Data;

/// <summary>A training set and, when the source has one, its separate test set.</summary>
/// <param name="Train">The training data, features unscaled.</param>
/// <param name="Test">The test data read against the training data's columns and classes; null when the
/// source has none and the caller holds out a split (<see cref="DataSplit"/>).</param>
public sealed record LoadedData(Dataset Train, Dataset? Test);
