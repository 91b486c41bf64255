using Backprop.Nn.Data;
using Backprop.Nn.Models;

namespace Backprop.Nn.Persistence;

/// <summary>
/// Everything a trained model needs to be used on raw data: the architecture, the parameters, the
/// feature scaling fitted on its training split, the class and feature names, and the resolved
/// configuration it was trained with.
/// </summary>
/// <param name="Spec">The architecture.</param>
/// <param name="Parameters">The flat parameter buffer.</param>
/// <param name="Scaler">The feature scaling applied to raw inputs.</param>
/// <param name="Task">Classification or regression.</param>
/// <param name="ClassNames">Class index → name (classification).</param>
/// <param name="FeatureNames">The input features in order.</param>
/// <param name="Config">The resolved configuration text (HOCON) it was trained with.</param>
public sealed record SavedModel(
    ModelSpec Spec,
    float[] Parameters,
    FeatureScaler Scaler,
    TaskKind Task,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<string> FeatureNames,
    string Config);
