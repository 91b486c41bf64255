using Backprop.Numerics.Reductions;
using Backprop.Numerics.Tests.Reference;

namespace Backprop.Numerics.Tests.Reductions;

public class LossKernelsTests
{
    private const int Seed = 20250307;
    private const float GradScale = 0.37f;

    [Theory]
    [InlineData(4f)]
    [InlineData(80f)]
    public void SoftmaxCrossEntropy_should_match_float64_reference_for_every_shape(float magnitude)
    {
        var random = new RandomData(Seed);
        foreach (var (rows, cols) in Shapes.All().Where(s => s.Cols > 0))
        {
            var logits = random.Uniform(rows * cols, -magnitude, magnitude);
            var labels = random.Labels(rows, cols);
            var gradient = new float[logits.Length];
            double loss = LossKernels.SoftmaxCrossEntropy(rows, cols, logits, labels, GradScale, gradient);

            var (expectedLoss, lossScale, expectedGradient, gradientScales) = ReferenceCrossEntropy(rows, cols, logits, OneHot(rows, cols, labels));
            string context = $"±{magnitude}, {random}, {rows}×{cols}";
            Tolerance.Close(expectedLoss, loss, lossScale, $"cross-entropy loss, {context}");
            Tolerance.AllClose(expectedGradient, gradient, gradientScales, $"cross-entropy gradient, {context}");

            // Loss only: same value, and the in-place form writes the same gradient.
            Assert.Equal(loss, LossKernels.SoftmaxCrossEntropy(rows, cols, logits, labels, GradScale, []));
            var inPlace = (float[])logits.Clone();
            Assert.Equal(loss, LossKernels.SoftmaxCrossEntropy(rows, cols, inPlace, labels, GradScale, inPlace));
            Assert.True(gradient.AsSpan().SequenceEqual(inPlace), $"cross-entropy in place, {context}");
        }
    }

    [Fact]
    public void SoftmaxCrossEntropy_gradient_should_match_central_differences_of_the_loss()
    {
        var random = new RandomData(Seed + 1);
        foreach (int cols in new[] { 1, 2, 5, 17, 33 })
        {
            const int rows = 3;
            var logits = random.Uniform(rows * cols, -5f, 5f);
            var labels = random.Labels(rows, cols);
            var gradient = new float[logits.Length];
            LossKernels.SoftmaxCrossEntropy(rows, cols, logits, labels, GradScale, gradient);

            var targets = OneHot(rows, cols, labels);
            var expected = FiniteDifference.Gradient(
                x => GradScale * ReferenceCrossEntropy(rows, cols, x, targets).Loss, logits.Select(v => (double)v).ToArray());
            Tolerance.AllClose(expected, gradient, GradScale, $"cross-entropy gradient vs central differences, {random}, {rows}×{cols}");
        }
    }

    [Fact]
    public void SoftmaxCrossEntropy_should_stay_finite_when_logits_exceed_the_float_exp_range()
    {
        float[] logits = [1000f, -1000f, 0f, 3e38f, -3e38f, 0f];
        var gradient = new float[6];
        double loss = LossKernels.SoftmaxCrossEntropy(2, 3, logits, [1, 4 - 4], 1f, gradient);

        // Row 0: −log softmax at −1000 = 2000; row 1: label on the max, loss 0.
        Tolerance.Close(2000.0, loss, 1000, "cross-entropy of huge logits");
        Tolerance.AllClose([1, -1, 0, 0, 0, 0], gradient, 1e-30, "cross-entropy gradient of huge logits");
    }

    [Theory]
    [InlineData(7)]
    [InlineData(-1)]
    public void SoftmaxCrossEntropy_should_throw_naming_the_row_and_value_when_a_label_is_out_of_range(int badLabel)
    {
        var gradient = new float[12];
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => LossKernels.SoftmaxCrossEntropy(3, 4, new float[12], [0, 3, badLabel], 1f, gradient));
        Assert.Equal("labels", ex.ParamName);
        Assert.Contains($"labels[2] = {badLabel}", ex.Message, StringComparison.Ordinal);
        Assert.All(gradient, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void SoftmaxCrossEntropy_should_throw_naming_the_argument_that_is_wrong()
    {
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => LossKernels.SoftmaxCrossEntropy(2, 3, new float[6], [0], 1f, [])).ParamName);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => LossKernels.SoftmaxCrossEntropy(2, 3, new float[5], [0, 1], 1f, [])).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => LossKernels.SoftmaxCrossEntropy(2, 3, new float[6], [0, 1], 1f, new float[5])).ParamName);
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => LossKernels.SoftmaxCrossEntropy(0, 0, [], [], 1f, [])).ParamName);
        var buffer = new float[20];
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => LossKernels.SoftmaxCrossEntropy(2, 3, buffer.AsSpan(0, 6), [0, 1], 1f, buffer.AsSpan(1, 6))).ParamName);
    }

    [Theory]
    [InlineData(4f)]
    [InlineData(80f)]
    public void SoftTargets_should_match_float64_reference_for_every_shape(float magnitude)
    {
        var random = new RandomData(Seed + 2);
        foreach (var (rows, cols) in Shapes.All().Where(s => s.Cols > 0))
        {
            var logits = random.Uniform(rows * cols, -magnitude, magnitude);
            var targets = random.ProbabilityRows(rows, cols);
            var gradient = new float[logits.Length];
            double loss = LossKernels.SoftmaxCrossEntropySoftTargets(rows, cols, logits, targets, GradScale, gradient);

            var (expectedLoss, lossScale, expectedGradient, gradientScales) = ReferenceCrossEntropy(rows, cols, logits, targets);
            string context = $"±{magnitude}, {random}, {rows}×{cols}";
            Tolerance.Close(expectedLoss, loss, lossScale, $"soft cross-entropy loss, {context}");
            Tolerance.AllClose(expectedGradient, gradient, gradientScales, $"soft cross-entropy gradient, {context}");

            Assert.Equal(loss, LossKernels.SoftmaxCrossEntropySoftTargets(rows, cols, logits, targets, GradScale, []));
            var inPlace = (float[])logits.Clone();
            LossKernels.SoftmaxCrossEntropySoftTargets(rows, cols, inPlace, targets, GradScale, inPlace);
            Assert.True(gradient.AsSpan().SequenceEqual(inPlace), $"soft cross-entropy in place, {context}");
        }
    }

    [Fact]
    public void SoftTargets_should_agree_with_labels_when_targets_are_one_hot()
    {
        var random = new RandomData(Seed + 3);
        const int rows = 4, cols = 19;
        var logits = random.Uniform(rows * cols, -10f, 10f);
        var labels = random.Labels(rows, cols);
        var targets = OneHot(rows, cols, labels).Select(v => (float)v).ToArray();
        var hard = new float[logits.Length];
        var soft = new float[logits.Length];
        double hardLoss = LossKernels.SoftmaxCrossEntropy(rows, cols, logits, labels, GradScale, hard);
        double softLoss = LossKernels.SoftmaxCrossEntropySoftTargets(rows, cols, logits, targets, GradScale, soft);
        Tolerance.Close(hardLoss, softLoss, logits.Sum(v => Math.Abs(v)), $"one-hot loss, {random}");
        Tolerance.AllClose(hard.Select(v => (double)v).ToArray(), soft, GradScale, $"one-hot gradient, {random}");
    }

    [Fact]
    public void SoftTargets_gradient_should_match_central_differences_of_the_loss()
    {
        var random = new RandomData(Seed + 4);
        foreach (int cols in new[] { 1, 2, 5, 17, 33 })
        {
            const int rows = 3;
            var logits = random.Uniform(rows * cols, -5f, 5f);

            // Targets that do not sum to one exercise the Σt factor of the gradient.
            var targets = random.Uniform(rows * cols, 0f, 1f);
            var gradient = new float[logits.Length];
            LossKernels.SoftmaxCrossEntropySoftTargets(rows, cols, logits, targets, GradScale, gradient);

            var expected = FiniteDifference.Gradient(
                x => GradScale * ReferenceCrossEntropy(rows, cols, x, targets.Select(v => (double)v).ToArray()).Loss,
                logits.Select(v => (double)v).ToArray());
            Tolerance.AllClose(expected, gradient, GradScale * cols, $"soft cross-entropy vs central differences, {random}, {rows}×{cols}");
        }
    }

    [Fact]
    public void SoftTargets_should_throw_when_targets_overlap_the_gradient()
    {
        var buffer = new float[20];
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => LossKernels.SoftmaxCrossEntropySoftTargets(2, 3, new float[6], buffer.AsSpan(0, 6), 1f, buffer.AsSpan(0, 6))).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => LossKernels.SoftmaxCrossEntropySoftTargets(2, 3, new float[6], new float[5], 1f, [])).ParamName);
    }

    [Fact]
    public void SquaredError_should_match_float64_reference_for_every_length()
    {
        var random = new RandomData(Seed + 5);
        for (int n = 0; n <= 256; n++)
        {
            var y = random.Uniform(n, -4f, 4f);
            var t = random.Uniform(n, -4f, 4f);
            var gradient = new float[n];
            double loss = LossKernels.SquaredError(y, t, GradScale, gradient);

            string context = $"{random}, length {n}";
            double expectedLoss = y.Zip(t, (a, b) => ((double)a - b) * ((double)a - b)).Sum();
            double lossScale = y.Zip(t, (a, b) => (Math.Abs((double)a) + Math.Abs(b)) * (Math.Abs((double)a) + Math.Abs(b))).Sum();
            Tolerance.Close(expectedLoss, loss, lossScale, $"squared error, {context}");
            Tolerance.AllClose(
                y.Zip(t, (a, b) => 2.0 * GradScale * ((double)a - b)).ToArray(),
                gradient,
                y.Zip(t, (a, b) => 2.0 * GradScale * (Math.Abs((double)a) + Math.Abs(b))).ToArray(),
                $"squared error gradient, {context}");

            Assert.Equal(loss, LossKernels.SquaredError(y, t, GradScale, []));
            var inPlace = (float[])y.Clone();
            Assert.Equal(loss, LossKernels.SquaredError(inPlace, t, GradScale, inPlace));
            Assert.True(gradient.AsSpan().SequenceEqual(inPlace), $"squared error in place, {context}");
        }
    }

    [Fact]
    public void SquaredError_gradient_should_match_central_differences_of_the_loss()
    {
        var random = new RandomData(Seed + 6);
        var y = random.Uniform(37, -4f, 4f);
        var t = random.Uniform(37, -4f, 4f);
        var gradient = new float[37];
        LossKernels.SquaredError(y, t, GradScale, gradient);
        var expected = FiniteDifference.Gradient(
            p => GradScale * p.Select((v, i) => (v - t[i]) * (v - t[i])).Sum(), y.Select(v => (double)v).ToArray());
        Tolerance.AllClose(expected, gradient, 8 * GradScale, $"squared error vs central differences, {random}");
    }

    [Fact]
    public void BinaryCrossEntropy_should_match_float64_reference_for_every_length()
    {
        var random = new RandomData(Seed + 7);
        for (int n = 0; n <= 256; n++)
        {
            var z = random.Uniform(n, -30f, 30f);
            var t = random.Uniform(n, 0f, 1f);
            var gradient = new float[n];
            double loss = LossKernels.BinaryCrossEntropyWithLogits(z, t, GradScale, gradient);

            string context = $"{random}, length {n}";
            var (expectedLoss, lossScale, expectedGradient, gradientScales) = ReferenceBinaryCrossEntropy(z, t);
            Tolerance.Close(expectedLoss, loss, lossScale, $"binary cross-entropy, {context}");
            Tolerance.AllClose(expectedGradient, gradient, gradientScales, $"binary cross-entropy gradient, {context}");

            Assert.Equal(loss, LossKernels.BinaryCrossEntropyWithLogits(z, t, GradScale, []));
            var inPlace = (float[])z.Clone();
            LossKernels.BinaryCrossEntropyWithLogits(inPlace, t, GradScale, inPlace);
            Assert.True(gradient.AsSpan().SequenceEqual(inPlace), $"binary cross-entropy in place, {context}");
        }
    }

    [Fact]
    public void BinaryCrossEntropy_should_be_accurate_and_finite_for_extreme_logits()
    {
        float[] z = [100f, -100f, 1e4f, -1e4f, 1e30f, -1e30f, 20f, -20f, 0f, 40f];
        float[] t = [1f, 0f, 0f, 1f, 0.5f, 0.5f, 1f, 0f, 0.3f, 1f];
        var gradient = new float[z.Length];
        foreach (int i in Enumerable.Range(0, z.Length))
        {
            var (expectedLoss, _, expectedGradient, gradientScales) = ReferenceBinaryCrossEntropy([z[i]], [t[i]], gradScale: 1);
            double loss = LossKernels.BinaryCrossEntropyWithLogits(z.AsSpan(i, 1), t.AsSpan(i, 1), 1f, gradient.AsSpan(i, 1));

            // Relative down to float's smallest normal number, so that tiny losses like log(1 + e^−40) must be right too.
            Tolerance.Close(expectedLoss, loss, 1e-37, $"binary cross-entropy at z = {z[i]}, t = {t[i]}");
            Tolerance.Close(expectedGradient[0], gradient[i], gradientScales[0], $"binary cross-entropy gradient at z = {z[i]}");
        }

        // The same values through the vector paths.
        var vectorised = new float[z.Length];
        double sum = LossKernels.BinaryCrossEntropyWithLogits(z, t, 1f, vectorised);
        var reference = ReferenceBinaryCrossEntropy(z, t, gradScale: 1);
        Tolerance.Close(reference.Loss, sum, reference.LossScale, "binary cross-entropy of extreme logits");
        Tolerance.AllClose(reference.Gradient, vectorised, reference.GradientScales, "binary cross-entropy gradient of extreme logits");
    }

    [Fact]
    public void BinaryCrossEntropy_gradient_should_match_central_differences_of_the_loss()
    {
        var random = new RandomData(Seed + 8);
        var z = random.Uniform(41, -8f, 8f);
        var t = random.Uniform(41, 0f, 1f);
        var gradient = new float[41];
        LossKernels.BinaryCrossEntropyWithLogits(z, t, GradScale, gradient);
        var expected = FiniteDifference.Gradient(
            x => GradScale * ReferenceBinaryCrossEntropy(x.Select(v => (float)v).ToArray(), t, x).Loss, z.Select(v => (double)v).ToArray());
        Tolerance.AllClose(expected, gradient, GradScale, $"binary cross-entropy vs central differences, {random}");
    }

    [Fact]
    public void Pairwise_losses_should_throw_naming_the_argument_that_is_wrong()
    {
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => LossKernels.SquaredError(new float[3], new float[4], 1f, [])).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => LossKernels.SquaredError(new float[3], new float[3], 1f, new float[2])).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => LossKernels.BinaryCrossEntropyWithLogits(new float[3], new float[4], 1f, [])).ParamName);
        var buffer = new float[20];
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => LossKernels.BinaryCrossEntropyWithLogits(buffer.AsSpan(0, 8), new float[8], 1f, buffer.AsSpan(2, 8))).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => LossKernels.SquaredError(new float[8], buffer.AsSpan(0, 8), 1f, buffer.AsSpan(2, 8))).ParamName);
    }

    private static double[] OneHot(int rows, int cols, int[] labels)
    {
        var targets = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            targets[(r * cols) + labels[r]] = 1;
        }

        return targets;
    }

    private static (double Loss, double LossScale, double[] Gradient, double[] GradientScales) ReferenceCrossEntropy(
        int rows, int cols, float[] logits, double[] targets) =>
        ReferenceCrossEntropy(rows, cols, logits.Select(v => (double)v).ToArray(), targets);

    private static (double Loss, double LossScale, double[] Gradient, double[] GradientScales) ReferenceCrossEntropy(
        int rows, int cols, float[] logits, float[] targets) =>
        ReferenceCrossEntropy(rows, cols, logits.Select(v => (double)v).ToArray(), targets.Select(v => (double)v).ToArray());

    /// <summary>
    /// −Σ t·log softmax(x) in float64, straight from the definition (log softmax_j = x_j − log Σ e^x), with its
    /// gradient Σt·softmax − t times <see cref="GradScale"/>.
    /// </summary>
    private static (double Loss, double LossScale, double[] Gradient, double[] GradientScales) ReferenceCrossEntropy(
        int rows, int cols, double[] logits, double[] targets)
    {
        double loss = 0, lossScale = 0;
        var gradient = new double[logits.Length];
        var scales = new double[logits.Length];
        for (int r = 0; r < rows; r++)
        {
            var x = logits.AsSpan(r * cols, cols);
            var t = targets.AsSpan(r * cols, cols);
            double max = double.NegativeInfinity;
            foreach (double v in x)
            {
                max = Math.Max(max, v);
            }

            double sum = 0, targetSum = 0;
            for (int j = 0; j < cols; j++)
            {
                sum += Math.Exp(x[j] - max);
                targetSum += t[j];
            }

            double logSumExp = max + Math.Log(sum);
            for (int j = 0; j < cols; j++)
            {
                loss -= t[j] * (x[j] - logSumExp);
                lossScale += t[j] * (Math.Abs(x[j]) + Math.Abs(logSumExp));
                double p = Math.Exp(x[j] - logSumExp);
                gradient[(r * cols) + j] = GradScale * ((targetSum * p) - t[j]);
                scales[(r * cols) + j] = (GradScale * ((targetSum * p * (1 + Math.Abs(x[j] - max))) + t[j])) + 1e-30;
            }
        }

        return (loss, lossScale, gradient, scales);
    }

    /// <summary>
    /// Σ max(z, 0) − z·t + log(1 + e^−|z|) in float64 (log1p by its series where 1 + e would round), gradient
    /// (σ(z) − t)·<paramref name="gradScale"/>.
    /// </summary>
    private static (double Loss, double LossScale, double[] Gradient, double[] GradientScales) ReferenceBinaryCrossEntropy(
        float[] z, float[] t, double[]? zExact = null, double gradScale = GradScale)
    {
        double loss = 0, lossScale = 0;
        var gradient = new double[z.Length];
        var scales = new double[z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            double x = zExact?[i] ?? z[i];
            double e = Math.Exp(-Math.Abs(x));
            double log1p = e < 1e-4 ? e - (e * e / 2) + (e * e * e / 3) : Math.Log(1 + e);
            loss += Math.Max(x, 0) - (x * t[i]) + log1p;
            lossScale += Math.Max(x, 0) + Math.Abs(x * t[i]) + log1p;
            double sigmoid = 1 / (1 + Math.Exp(-x));
            gradient[i] = gradScale * (sigmoid - t[i]);
            scales[i] = (gradScale * (sigmoid + t[i])) + 1e-37;
        }

        return (loss, lossScale, gradient, scales);
    }
}
