using Backprop.Nn.Optimizers;
using Backprop.Nn.Parameters;
using Backprop.Nn.Settings;

namespace Backprop.Nn.Tests.Optimizers;

/// <summary>An update applied range by range (as a bucketed parameter server does) against the whole update.</summary>
public sealed class RangeStepTests
{
    // 37-53-29-7: layer sizes that are no multiple of any vector width, so ranges end in scalar tails.
    private static readonly ParameterLayout Layout = new([37, 53, 29, 7]);

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Momentum)]
    [InlineData(OptimizerKind.Nesterov)]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.AdamW)]
    [InlineData(OptimizerKind.RmsProp)]
    [InlineData(OptimizerKind.AdaGrad)]
    public void Ranges_covering_the_parameters_once_should_give_the_bits_of_the_whole_step(OptimizerKind kind)
    {
        var settings = new OptimizerSettings { Kind = kind, LearningRate = 0.01, Momentum = 0.9, WeightDecay = 0.001 };
        var whole = new Optimizer(settings, Layout, frozenLayers: 1);
        var ranged = new Optimizer(settings, Layout, frozenLayers: 1);
        var random = new Random(11);
        var p1 = Enumerable.Range(0, Layout.Length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var p2 = (float[])p1.Clone();

        // Odd cuts, in no particular order, across the weight/bias edge and inside layers.
        (int Offset, int Count)[] ranges = [(1961, Layout.Length - 1961), (0, 1000), (1000, 961)];
        for (int step = 0; step < 3; step++)
        {
            var g = Enumerable.Range(0, Layout.Length).Select(_ => (float)(random.NextDouble() - 0.5) * 8).ToArray();
            whole.Step(p1, g, samples: 6, learningRate: 0.01);
            ranged.BeginStep();
            foreach (var (offset, count) in ranges)
            {
                ranged.ApplyRange(p2, g, offset, count, samples: 6, learningRate: 0.01);
            }
        }

        Assert.Equal(p1, p2);
        Assert.Equal(whole.Steps, ranged.Steps);
        for (int i = 0; i < whole.State.Count; i++)
        {
            Assert.Equal(whole.State[i], ranged.State[i]);
        }
    }

    [Fact]
    public void Clipping_should_refuse_an_update_by_ranges()
    {
        var optimizer = new Optimizer(new OptimizerSettings { Kind = OptimizerKind.Sgd, LearningRate = 0.1, ClipNorm = 1 }, Layout);

        var error = Assert.Throws<InvalidOperationException>(optimizer.BeginStep);
        Assert.Contains("clip-norm", error.Message, StringComparison.Ordinal);
    }
}
