using Backprop.Numerics.Gemm;

namespace Backprop.Numerics.Diagnostics;

/// <summary>A GEMM shape worth timing, with what it stands for.</summary>
/// <param name="Label">Where the shape comes from ("square", "mlp layer 1 forward", …).</param>
/// <param name="Form">Which product.</param>
/// <param name="M">Rows of C.</param>
/// <param name="N">Columns of C.</param>
/// <param name="K">Inner dimension.</param>
public sealed record GemmShape(string Label, GemmForm Form, int M, int N, int K)
{
    /// <summary>
    /// Square products of 256 to 2048 in every form, then every product of one training step of the
    /// 784-256-128-10 MLP at batch 128, with weights stored in×out: forward A·W, input gradient
    /// dY·Wᵀ, weight gradient Xᵀ·dY.
    /// </summary>
    public static IReadOnlyList<GemmShape> Standard { get; } = BuildStandard();

    /// <summary>A handful of small shapes for a smoke run.</summary>
    public static IReadOnlyList<GemmShape> Quick { get; } =
    [
        new("square", GemmForm.AB, 256, 256, 256),
        new("mlp layer 2 forward", GemmForm.AB, 128, 128, 256),
        new("mlp layer 2 input gradient", GemmForm.ABt, 128, 256, 128),
        new("mlp layer 2 weight gradient", GemmForm.AtB, 256, 128, 128),
    ];

    private static List<GemmShape> BuildStandard()
    {
        var shapes = new List<GemmShape>();
        foreach (int size in new[] { 256, 512, 1024, 2048 })
        {
            foreach (var form in Enum.GetValues<GemmForm>())
            {
                shapes.Add(new("square", form, size, size, size));
            }
        }

        const int Batch = 128;
        int[] widths = [784, 256, 128, 10];
        for (int layer = 1; layer < widths.Length; layer++)
        {
            int input = widths[layer - 1], output = widths[layer];
            shapes.Add(new($"mlp layer {layer} forward", GemmForm.AB, Batch, output, input));
            if (layer > 1)
            {
                shapes.Add(new($"mlp layer {layer} input gradient", GemmForm.ABt, Batch, input, output));
            }

            shapes.Add(new($"mlp layer {layer} weight gradient", GemmForm.AtB, input, output, Batch));
        }

        return shapes;
    }
}
