using System.IO.Hashing;
using System.Runtime.InteropServices;
using Backprop.Nn.Data;
using Backprop.Nn.Settings;

namespace Backprop.Nn.Jobs;

/// <summary>
/// The data of a run, ready to train on: loaded, a test split held out when there is no test file,
/// a validation split held out when configured, and every split scaled with statistics from the
/// training split only (or with a model's scaler when fine-tuning it).
/// </summary>
/// <param name="Train">The scaled training split.</param>
/// <param name="Validation">The scaled validation split, or null.</param>
/// <param name="Test">The scaled test set, or null.</param>
/// <param name="Scaler">The scaling, stored with the model.</param>
public sealed record PreparedData(Dataset Train, Dataset? Validation, Dataset? Test, FeatureScaler Scaler)
{
    /// <summary>Loads and prepares the data of <paramref name="settings"/>.</summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="scaler">A scaler to reuse (fine-tuning), or null to fit one on the training split.</param>
    public static PreparedData Load(BackpropSettings settings, FeatureScaler? scaler = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (train, test) = DatasetLoader.Load(settings.Data);
        long seed = settings.Training.Seed;
        if (test is null && settings.Data.TestSplit > 0)
        {
            (train, test) = DataSplit.Holdout(train, settings.Data.TestSplit, seed);
        }

        Dataset? validation = null;
        if (settings.Training.ValidationSplit > 0)
        {
            // A stream of its own, so that turning validation on does not change the test split.
            (train, validation) = DataSplit.Holdout(train, settings.Training.ValidationSplit, seed ^ 0x5A17_0F7A_11D4_7E9BL);
        }

        if (scaler is not null && scaler.FeatureCount != train.FeatureCount)
        {
            throw new InvalidSettingException(
                "backprop.data.path", $"{train.Source} has {train.FeatureCount} features per sample; the model to start from takes {scaler.FeatureCount}.");
        }

        scaler ??= FeatureScaler.Fit(train, settings.Data.Scaling);
        return new PreparedData(scaler.Apply(train), validation is null ? null : scaler.Apply(validation), test is null ? null : scaler.Apply(test), scaler);
    }

    /// <summary>A hash of the scaled training split, so a checkpoint is never resumed on other data.</summary>
    public ulong Fingerprint()
    {
        var hash = new XxHash64();
        if (Train.IsMapped)
        {
            // Row by row, scaled as read: the same bytes in the same order as the in-memory array, so the same hash.
            var row = new float[Train.FeatureCount];
            for (int i = 0; i < Train.Count; i++)
            {
                Train.CopyRow(i, row);
                hash.Append(MemoryMarshal.AsBytes(row.AsSpan()));
            }
        }
        else
        {
            hash.Append(MemoryMarshal.AsBytes(Train.Features.AsSpan()));
        }

        hash.Append(MemoryMarshal.AsBytes(Train.Labels.AsSpan()));
        hash.Append(MemoryMarshal.AsBytes(Train.Targets.AsSpan()));
        return hash.GetCurrentHashAsUInt64();
    }
}
