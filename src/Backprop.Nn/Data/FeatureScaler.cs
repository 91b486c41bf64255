using System.Numerics.Tensors;

namespace Backprop.Nn.Data;

/// <summary>
/// Per-feature affine scaling, scaled = (x − <see cref="Offset"/>)·<see cref="Scale"/>, with statistics
/// from the training split only. Immutable; the two arrays are what a model file stores.
/// </summary>
public sealed class FeatureScaler
{
    private FeatureScaler(ScalingKind kind, float[] offset, float[] scale)
    {
        Kind = kind;
        Offset = offset;
        Scale = scale;
    }

    /// <summary>The scaling this is; never <see cref="ScalingKind.Auto"/>.</summary>
    public ScalingKind Kind { get; }

    /// <summary>Subtracted from each feature; one per feature. Treat as read-only.</summary>
    public float[] Offset { get; }

    /// <summary>Multiplies each feature after the offset; one per feature, finite and non-zero. Treat as read-only.</summary>
    public float[] Scale { get; }

    /// <summary>Number of features this scaler applies to.</summary>
    public int FeatureCount => Offset.Length;

    /// <summary>
    /// Fits a scaler to training data. <see cref="ScalingKind.Auto"/> becomes <see cref="ScalingKind.Divide255"/>
    /// for image data (features named <c>pixel0</c>..) and <see cref="ScalingKind.Standardize"/> otherwise.
    /// A constant feature (standard deviation 0, or max = min) gets scale 1, so it maps to 0 instead of ∞.
    /// </summary>
    /// <param name="train">The training data; at least one sample.</param>
    /// <param name="kind">The scaling wanted.</param>
    public static FeatureScaler Fit(Dataset train, ScalingKind kind)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
        {
            throw new ArgumentException($"{train.Source}: cannot fit feature scaling to an empty dataset.", nameof(train));
        }

        if (kind == ScalingKind.Auto)
        {
            kind = IsImageData(train.FeatureNames) ? ScalingKind.Divide255 : ScalingKind.Standardize;
        }

        int n = train.FeatureCount;
        var offset = new float[n];
        var scale = new float[n];
        switch (kind)
        {
            case ScalingKind.None:
                scale.AsSpan().Fill(1f);
                break;
            case ScalingKind.Divide255:
                scale.AsSpan().Fill(1f / 255f);
                break;
            case ScalingKind.Standardize:
                FitStandardize(train, offset, scale);
                break;
            case ScalingKind.MinMax:
                FitMinMax(train, offset, scale);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown scaling kind.");
        }

        return new FeatureScaler(kind, offset, scale);
    }

    /// <summary>Rebuilds a scaler from stored arrays (copied), e.g. those of a model file.</summary>
    /// <param name="kind">The scaling they came from; not <see cref="ScalingKind.Auto"/>.</param>
    /// <param name="offset">One finite offset per feature.</param>
    /// <param name="scale">One finite, non-zero scale per feature.</param>
    /// <exception cref="ArgumentException">The kind is Auto, the lengths differ or are 0, or a value is not allowed.</exception>
    public static FeatureScaler FromArrays(ScalingKind kind, ReadOnlySpan<float> offset, ReadOnlySpan<float> scale)
    {
        if (kind == ScalingKind.Auto || !Enum.IsDefined(kind))
        {
            throw new ArgumentException($"A stored scaler needs a resolved kind, got {kind}.", nameof(kind));
        }

        if (offset.Length != scale.Length || offset.Length == 0)
        {
            throw new ArgumentException(
                $"Expected one offset and one scale per feature, got {offset.Length} offsets and {scale.Length} scales.", nameof(scale));
        }

        for (int i = 0; i < offset.Length; i++)
        {
            if (!float.IsFinite(offset[i]))
            {
                throw new ArgumentException($"Offset {i} is {offset[i]}; expected a finite number.", nameof(offset));
            }

            if (!float.IsFinite(scale[i]) || scale[i] == 0)
            {
                throw new ArgumentException($"Scale {i} is {scale[i]}; expected a finite, non-zero number.", nameof(scale));
            }
        }

        return new FeatureScaler(kind, offset.ToArray(), scale.ToArray());
    }

    /// <summary>
    /// A copy of <paramref name="data"/> with scaled features; for mapped data, the same rows with this
    /// scaling applied to each row as it is read (the same arithmetic, so the same values).
    /// </summary>
    /// <param name="data">Data with <see cref="FeatureCount"/> features.</param>
    public Dataset Apply(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.IsMapped)
        {
            return data.FeatureCount == FeatureCount
                ? data.WithScaling(this)
                : throw new ArgumentException($"This scaler is for {FeatureCount} features, got {data.FeatureCount}.", nameof(data));
        }

        var features = (float[])data.Features.Clone();
        Apply(features, data.FeatureCount);
        return data.WithFeatures(features);
    }

    /// <summary>Scales rows of features in place.</summary>
    /// <param name="rows">Row-major features, a whole number of rows of <paramref name="featureCount"/>.</param>
    /// <param name="featureCount">Features per row; must equal <see cref="FeatureCount"/>.</param>
    public void Apply(Span<float> rows, int featureCount)
    {
        if (featureCount != FeatureCount)
        {
            throw new ArgumentException($"This scaler is for {FeatureCount} features, got {featureCount}.", nameof(featureCount));
        }

        if (rows.Length % featureCount != 0)
        {
            throw new ArgumentException(
                $"{rows.Length} values are not a whole number of rows of {featureCount} features.", nameof(rows));
        }

        for (int start = 0; start < rows.Length; start += featureCount)
        {
            var row = rows.Slice(start, featureCount);
            TensorPrimitives.Subtract(row, Offset, row);
            TensorPrimitives.Multiply(row, Scale, row);
        }
    }

    private static bool IsImageData(IReadOnlyList<string> names) =>
        names.Count > 0 && names.All(n => n.StartsWith(IdxReader.PixelFeaturePrefix, StringComparison.Ordinal)
            && n.Length > IdxReader.PixelFeaturePrefix.Length && n.AsSpan(IdxReader.PixelFeaturePrefix.Length).IndexOfAnyExceptInRange('0', '9') < 0);

    // Two passes in double: the one-pass sum-of-squares formula loses the variance of large, tight values.
    private static void FitStandardize(Dataset train, float[] offset, float[] scale)
    {
        int n = train.FeatureCount;
        var mean = new double[n];
        var squares = new double[n];
        var scratch = train.IsMapped ? new float[n] : [];
        for (int row = 0; row < train.Count; row++)
        {
            var x = train.Rows(row, 1, scratch);
            for (int j = 0; j < n; j++)
            {
                mean[j] += x[j];
            }
        }

        for (int j = 0; j < n; j++)
        {
            mean[j] /= train.Count;
        }

        for (int row = 0; row < train.Count; row++)
        {
            var x = train.Rows(row, 1, scratch);
            for (int j = 0; j < n; j++)
            {
                double d = x[j] - mean[j];
                squares[j] += d * d;
            }
        }

        for (int j = 0; j < n; j++)
        {
            offset[j] = (float)mean[j];
            scale[j] = Reciprocal(Math.Sqrt(squares[j] / train.Count));
        }
    }

    private static void FitMinMax(Dataset train, float[] offset, float[] scale)
    {
        int n = train.FeatureCount;
        var scratch = train.IsMapped ? new float[n] : [];
        var min = train.Rows(0, 1, scratch).ToArray();
        var max = train.Rows(0, 1, scratch).ToArray();
        for (int row = 1; row < train.Count; row++)
        {
            var values = train.Rows(row, 1, scratch);
            TensorPrimitives.Min(min, values, min);
            TensorPrimitives.Max(max, values, max);
        }

        for (int j = 0; j < n; j++)
        {
            offset[j] = min[j];
            scale[j] = Reciprocal((double)max[j] - min[j]);
        }
    }

    // A spread of 0 (or one so small that 1/spread overflows a float) is a constant feature: scale 1.
    private static float Reciprocal(double spread)
    {
        float value = (float)(1.0 / spread);
        return spread > 0 && float.IsFinite(value) ? value : 1f;
    }
}
