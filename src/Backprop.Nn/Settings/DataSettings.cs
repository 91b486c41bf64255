using Backprop.Nn.Data;

namespace Backprop.Nn.Settings;

/// <summary>Where the data comes from and how it is prepared (<c>backprop.data</c>).</summary>
public sealed record DataSettings
{
    /// <summary>
    /// <c>path</c>: a folder of IDX files (train-*/t10k-*), an IDX images file, a CSV file, a <c>.bpd</c> file, or
    /// <c>builtin:NAME</c> for a dataset shipped with the product.
    /// </summary>
    public string Path { get; init; } = "builtin:fashion-mnist-small";

    /// <summary><c>test-path</c>: a separate test file; when absent the test set is the folder's t10k files or a held-out split.</summary>
    public string? TestPath { get; init; }

    /// <summary><c>target</c>: the CSV column to predict; default the column named <c>label</c>, else the last one.</summary>
    public string? Target { get; init; }

    /// <summary><c>test-split</c>: the fraction held out (stratified, shuffled) as the test set when there is no test file.</summary>
    public double TestSplit { get; init; } = 0.2;

    /// <summary><c>scaling</c>: feature scaling, statistics from the training split.</summary>
    public ScalingKind Scaling { get; init; } = ScalingKind.Auto;

    /// <summary><c>task</c>: classification or regression; null decides from the target column.</summary>
    public TaskKind? Task { get; init; }

    /// <summary>
    /// <c>max-classes</c>: a numeric target with more distinct values than this (or any non-integer) is
    /// regression when <see cref="Task"/> is not given.
    /// </summary>
    public int MaxClasses { get; init; } = 50;

    /// <summary>Throws <see cref="InvalidSettingException"/> for the first bad value.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new InvalidSettingException("backprop.data.path", "must name a data file, folder or builtin:NAME.");
        }

        SettingChecks.Fraction("backprop.data.test-split", TestSplit);
        SettingChecks.AtLeast("backprop.data.max-classes", MaxClasses, 2);
    }
}
