using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop.Numerics.Elementwise;

/// <summary>
/// An activation function with its parameter (the slope of leaky ReLU), applied element-wise by
/// <see cref="Forward"/> and differentiated by <see cref="Backward"/>. The kernels are those of
/// <see cref="Activations"/>; this type validates once and dispatches, so it is cheap on the short rows of a
/// GEMM epilogue.
/// </summary>
/// <param name="Kind">Which function.</param>
/// <param name="Slope">The negative-side slope of <see cref="ActivationKind.LeakyRelu"/>; ignored by the others.</param>
public readonly record struct Activation(ActivationKind Kind, float Slope = 0.01f)
{
    /// <summary>y = x.</summary>
    public static Activation Identity => new(ActivationKind.Identity);

    /// <summary>y = max(x, 0).</summary>
    public static Activation Relu => new(ActivationKind.Relu);

    /// <summary>y = 1 / (1 + e^−x).</summary>
    public static Activation Sigmoid => new(ActivationKind.Sigmoid);

    /// <summary>y = tanh(x).</summary>
    public static Activation Tanh => new(ActivationKind.Tanh);

    /// <summary>GELU, tanh approximation; see <see cref="Activations.Gelu"/>.</summary>
    public static Activation Gelu => new(ActivationKind.Gelu);

    /// <summary>GELU, exact (through erf); see <see cref="Activations.GeluErf"/>.</summary>
    public static Activation GeluErf => new(ActivationKind.GeluErf);

    /// <summary>
    /// Whether <see cref="Backward"/> reads the pre-activation x (both GELUs and leaky ReLU). When false a layer need not
    /// keep x and may pass an empty span.
    /// </summary>
    public bool NeedsInputForBackward => Kind is ActivationKind.Gelu or ActivationKind.GeluErf or ActivationKind.LeakyRelu;

    /// <summary>y = x for x &gt; 0, <paramref name="slope"/>·x otherwise.</summary>
    /// <param name="slope">Negative-side slope (PyTorch's default is 0.01).</param>
    /// <returns>The leaky ReLU activation.</returns>
    public static Activation LeakyRelu(float slope = 0.01f) => new(ActivationKind.LeakyRelu, slope);

    /// <summary>Computes <paramref name="y"/> = f(<paramref name="x"/>); <paramref name="y"/> may be <paramref name="x"/> itself.</summary>
    /// <param name="x">Pre-activation.</param>
    /// <param name="y">Output, the length of <paramref name="x"/>; exactly <paramref name="x"/> or not overlapping it.</param>
    /// <exception cref="ArgumentException">Lengths differ or the spans partially overlap.</exception>
    public void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        SpanChecks.SameLength(x.Length, nameof(x), y.Length, nameof(y));
        SpanChecks.NoPartialOverlap(x, nameof(x), y, nameof(y));
        if (x.IsEmpty)
        {
            // TensorPrimitives.Sigmoid rejects empty spans; an empty row is simply nothing to do.
            return;
        }

        switch (Kind)
        {
            case ActivationKind.Identity:
                CopyUnlessSame(x, y);
                break;
            case ActivationKind.Sigmoid:
                TensorPrimitives.Sigmoid(x, y);
                break;
            case ActivationKind.Tanh:
                TensorPrimitives.Tanh(x, y);
                break;
            case ActivationKind.Relu:
                TensorPrimitives.Max(x, 0f, y);
                break;
            case ActivationKind.LeakyRelu:
                VectorLoops.Unary(x, y, new ActivationOperators.LeakyRelu(Slope));
                break;
            case ActivationKind.Gelu:
                VectorLoops.Unary(x, y, default(ActivationOperators.Gelu));
                break;
            case ActivationKind.GeluErf:
                VectorLoops.Unary(x, y, default(ActivationOperators.GeluErf));
                break;
            default:
                throw UnknownKind();
        }
    }

    /// <summary>
    /// Computes dx = dy·f′(x) from the saved forward values: sigmoid dy·y·(1 − y); tanh dy·(1 − y²); ReLU dy where
    /// y &gt; 0 else 0; leaky ReLU dy or slope·dy by the sign of x; GELU the exact derivative of the tanh
    /// approximation at x; exact GELU dy·(Φ(x) + x·φ(x)); identity dy.
    /// </summary>
    /// <param name="x">The pre-activation; required when <see cref="NeedsInputForBackward"/>, otherwise it may be empty.</param>
    /// <param name="y">The forward output f(x).</param>
    /// <param name="dy">Gradient with respect to y.</param>
    /// <param name="dx">Gradient with respect to x (overwritten); may be exactly <paramref name="dy"/>.</param>
    /// <exception cref="ArgumentException">Lengths differ, x is missing when needed, or dx partially overlaps an input.</exception>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        SpanChecks.SameLength(dy.Length, nameof(dy), y.Length, nameof(y));
        SpanChecks.SameLength(dy.Length, nameof(dy), dx.Length, nameof(dx));
        if (NeedsInputForBackward || !x.IsEmpty)
        {
            if (x.IsEmpty && !dy.IsEmpty)
            {
                throw new ArgumentException(
                    $"The {Kind} backward pass needs the pre-activation x, but x is empty.", nameof(x));
            }

            SpanChecks.SameLength(dy.Length, nameof(dy), x.Length, nameof(x));
            SpanChecks.NoPartialOverlap(x, nameof(x), dx, nameof(dx));
        }

        SpanChecks.NoPartialOverlap(y, nameof(y), dx, nameof(dx));
        SpanChecks.NoPartialOverlap(dy, nameof(dy), dx, nameof(dx));

        switch (Kind)
        {
            case ActivationKind.Identity:
                CopyUnlessSame(dy, dx);
                break;
            case ActivationKind.Sigmoid:
                VectorLoops.Binary(y, dy, dx, default(ActivationOperators.SigmoidBackward));
                break;
            case ActivationKind.Tanh:
                VectorLoops.Binary(y, dy, dx, default(ActivationOperators.TanhBackward));
                break;
            case ActivationKind.Relu:
                VectorLoops.Binary(y, dy, dx, default(ActivationOperators.ReluBackward));
                break;
            case ActivationKind.LeakyRelu:
                VectorLoops.Binary(x, dy, dx, new ActivationOperators.LeakyReluBackward(Slope));
                break;
            case ActivationKind.Gelu:
                VectorLoops.Binary(x, dy, dx, default(ActivationOperators.GeluBackward));
                break;
            case ActivationKind.GeluErf:
                VectorLoops.Binary(x, dy, dx, default(ActivationOperators.GeluErfBackward));
                break;
            default:
                throw UnknownKind();
        }
    }

    private static void CopyUnlessSame(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(source), ref MemoryMarshal.GetReference(destination)))
        {
            source.CopyTo(destination);
        }
    }

    private InvalidOperationException UnknownKind() => new($"Unknown activation kind {(int)Kind}.");
}
