using Backprop.Nn.Losses;
using Backprop.Nn.Models;
using Backprop.Nn.Parameters;
using Backprop.Nn.Randomness;
using Backprop.Numerics.Elementwise;

namespace Backprop.Nn.Tests.Models;

/// <summary>
/// The network's loss written out as textbook float64 loops: the definition the float32
/// implementation's gradient is checked against by central differences.
/// </summary>
internal static class ReferenceNetwork
{
    public static double LossSum(ModelSpec spec, double[] parameters, float[] x, int rows, int[] labels, float[] targets, DropoutDraw? dropout)
    {
        var layout = new ParameterLayout(spec.Widths);
        var layers = spec.Layers;
        var widths = spec.Widths;
        var input = x.Select(v => (double)v).ToArray();
        for (int l = 0; l < layers.Count; l++)
        {
            int n = widths[l], m = widths[l + 1];
            var w = layout.Weight(l);
            var b = layout.Bias(l);
            var output = new double[rows * m];
            for (int r = 0; r < rows; r++)
            {
                var mask = dropout is { } d && layers[l].Dropout > 0
                    ? Mask(d, r, l, m, layers[l].Dropout)
                    : null;
                for (int j = 0; j < m; j++)
                {
                    double z = parameters[b.Offset + j];
                    for (int i = 0; i < n; i++)
                    {
                        z += input[(r * n) + i] * parameters[w.Offset + (i * m) + j];
                    }

                    double y = Activate(layers[l].Activation, z);
                    output[(r * m) + j] = mask is null ? y : y * mask[j];
                }
            }

            input = output;
        }

        int outputs = spec.Outputs;
        double loss = 0;
        for (int r = 0; r < rows; r++)
        {
            var logits = input.AsSpan(r * outputs, outputs);
            switch (spec.Loss)
            {
                case LossKind.SoftmaxCrossEntropy:
                    double max = logits.ToArray().Max();
                    double sum = 0;
                    foreach (double z in logits)
                    {
                        sum += Math.Exp(z - max);
                    }

                    loss += max + Math.Log(sum) - logits[labels[r]];
                    break;
                case LossKind.BinaryCrossEntropy:
                    double p = 1 / (1 + Math.Exp(-logits[0]));
                    loss -= labels[r] == 1 ? Math.Log(p) : Math.Log(1 - p);
                    break;
                default:
                    for (int k = 0; k < outputs; k++)
                    {
                        double e = logits[k] - targets[(r * outputs) + k];
                        loss += e * e / outputs;
                    }

                    break;
            }
        }

        return loss;
    }

    public static double Activate(Activation activation, double z) => activation.Kind switch
    {
        ActivationKind.Identity => z,
        ActivationKind.Relu => Math.Max(z, 0),
        ActivationKind.LeakyRelu => z > 0 ? z : activation.Slope * z,
        ActivationKind.Sigmoid => 1 / (1 + Math.Exp(-z)),
        ActivationKind.Tanh => Math.Tanh(z),
        ActivationKind.Gelu => 0.5 * z * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (z + (0.044715 * z * z * z)))),
        ActivationKind.GeluErf => z * Backprop.Numerics.Tests.Reference.NaiveErf.NormalCdf(z),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>The dropout rule as specified: one stream per (seed, step, sample, layer); a unit is dropped when its draw is below p.</summary>
    private static double[] Mask(DropoutDraw draw, int row, int layer, int units, double probability)
    {
        var random = RandomSource.Derive(draw.Seed, RandomPurpose.Dropout, draw.Step, ((long)(draw.FirstSample + row) * 256) + layer);
        var mask = new double[units];
        for (int j = 0; j < units; j++)
        {
            mask[j] = random.NextDouble() < probability ? 0 : (float)(1 / (1 - probability));
        }

        return mask;
    }
}
