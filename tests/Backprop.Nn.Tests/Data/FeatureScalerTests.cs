using Backprop.Nn.Data;

namespace Backprop.Nn.Tests.Data;

public sealed class FeatureScalerTests
{
    // Two features over four samples: (1, 5), (2, 5), (3, 5), (6, 5); the second is constant.
    private static readonly Dataset Table = Dataset.Regression(
        "mem", [1, 5, 2, 5, 3, 5, 6, 5], 2, ["a", "b"], [0, 0, 0, 0], 1);

    [Fact]
    public void Standardize_should_subtract_the_mean_and_divide_by_the_population_std()
    {
        var scaler = FeatureScaler.Fit(Table, ScalingKind.Standardize);

        // a: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5; b: constant, so scale 1 and everything maps to 0.
        Assert.Equal(ScalingKind.Standardize, scaler.Kind);
        Assert.Equal([3f, 5f], scaler.Offset);
        Assert.Equal(1 / Math.Sqrt(3.5), scaler.Scale[0], 6);
        Assert.Equal(1f, scaler.Scale[1]);
        var scaled = scaler.Apply(Table).Features;
        double s = Math.Sqrt(3.5);
        Assert.Equal([-2 / s, 0, -1 / s, 0, 0, 0, 3 / s, 0], scaled.Select(v => (double)v), new ToleranceComparer(1e-6));
    }

    [Fact]
    public void MinMax_should_map_each_feature_into_0_1_and_leave_constant_ones_at_0()
    {
        var scaler = FeatureScaler.Fit(Table, ScalingKind.MinMax);

        Assert.Equal([1f, 5f], scaler.Offset);
        Assert.Equal([0.2f, 1f], scaler.Scale);
        Assert.Equal([0f, 0, 0.2f, 0, 0.4f, 0, 1, 0], scaler.Apply(Table).Features);
    }

    [Fact]
    public void Divide255_should_scale_pixels_into_0_1()
    {
        var images = Dataset.Classification("mem", [0, 51, 255, 102], 2, ["pixel0", "pixel1"], [0, 1], ["0", "1"]);

        var scaler = FeatureScaler.Fit(images, ScalingKind.Divide255);

        // Scale is the float 1/255, so x·Scale is within a float rounding of x/255, not always equal to it.
        Assert.Equal([0f], scaler.Offset.Distinct());
        Assert.Equal([1f / 255f], scaler.Scale.Distinct());
        Assert.Equal([0, 0.2, 1, 0.4], scaler.Apply(images).Features.Select(v => (double)v), new ToleranceComparer(1e-7));
    }

    [Fact]
    public void Auto_should_resolve_to_divide255_for_pixels_and_standardize_for_tables()
    {
        var images = Dataset.Classification("mem", [0, 255], 2, ["pixel0", "pixel1"], [0], ["0"]);
        var namedLikePixels = Dataset.Classification("mem", [0, 255], 2, ["pixel0", "pixel_size"], [0], ["0"]);

        Assert.Equal(ScalingKind.Divide255, FeatureScaler.Fit(images, ScalingKind.Auto).Kind);
        Assert.Equal(ScalingKind.Standardize, FeatureScaler.Fit(namedLikePixels, ScalingKind.Auto).Kind);
        Assert.Equal(ScalingKind.Standardize, FeatureScaler.Fit(Table, ScalingKind.Auto).Kind);
    }

    [Fact]
    public void None_should_leave_features_as_they_are()
    {
        var scaler = FeatureScaler.Fit(Table, ScalingKind.None);

        Assert.Equal(Table.Features, scaler.Apply(Table).Features);
        Assert.NotSame(Table.Features, scaler.Apply(Table).Features);
    }

    [Fact]
    public void Apply_should_scale_rows_in_place_and_check_the_feature_count()
    {
        var scaler = FeatureScaler.FromArrays(ScalingKind.MinMax, [1, 10], [0.5f, 2]);
        float[] rows = [3, 10, 1, 11];

        scaler.Apply(rows, 2);

        Assert.Equal([1f, 0, 0, 2], rows);
        Assert.Throws<ArgumentException>(() => scaler.Apply(rows, 4));
        Assert.Throws<ArgumentException>(() => scaler.Apply(rows.AsSpan(0, 3), 2));
    }

    [Fact]
    public void From_arrays_should_round_trip_and_validate()
    {
        var fitted = FeatureScaler.Fit(Table, ScalingKind.Standardize);

        var restored = FeatureScaler.FromArrays(fitted.Kind, fitted.Offset, fitted.Scale);

        Assert.Equal(fitted.Offset, restored.Offset);
        Assert.Equal(fitted.Scale, restored.Scale);
        Assert.Equal(2, restored.FeatureCount);
        Assert.Throws<ArgumentException>(() => FeatureScaler.FromArrays(ScalingKind.Auto, [0], [1]));
        Assert.Throws<ArgumentException>(() => FeatureScaler.FromArrays(ScalingKind.None, [0, 0], [1]));
        Assert.Throws<ArgumentException>(() => FeatureScaler.FromArrays(ScalingKind.None, [], []));
        Assert.Throws<ArgumentException>(() => FeatureScaler.FromArrays(ScalingKind.MinMax, [0], [0]));
        Assert.Throws<ArgumentException>(() => FeatureScaler.FromArrays(ScalingKind.MinMax, [float.NaN], [1]));
        Assert.Throws<ArgumentException>(() => FeatureScaler.FromArrays(ScalingKind.MinMax, [0], [float.PositiveInfinity]));
    }

    [Fact]
    public void Fit_should_reject_an_empty_dataset()
    {
        var empty = Table.Select([]);

        Assert.Throws<ArgumentException>(() => FeatureScaler.Fit(empty, ScalingKind.Standardize));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
