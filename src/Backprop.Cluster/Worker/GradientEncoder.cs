using Backprop.Cluster.Settings;
using Backprop.Cluster.Wire;
using Backprop.Nn.Compression;

namespace Backprop.Cluster.Worker;

/// <summary>
/// Turns a range of a worker's gradient into the slice it sends, under the job's compression: float32,
/// bf16 or fp16 slices borrow the gradient buffer and only name their encoding (the wire rounds them on
/// the way out); top-k runs the worker's <see cref="TopKCompressor"/> and sends the picked values as a
/// sparse slice. One per worker and job: with top-k it holds the residual that carries over from step to
/// step, so a worker that joins a new job starts a new one.
/// </summary>
/// <remarks>
/// A top-k slice borrows this encoder's own buffers, under the rule the gradient buffer already follows:
/// a range is encoded again only after the next weights, which come after the server has the gradient.
/// A range whose kept values would take at least as many bytes sparse (8 each) as dense (4 per value)
/// travels as float32 instead: the same values, never more bytes than no compression.
/// </remarks>
public sealed class GradientEncoder
{
    private readonly WireCompression _compression;
    private readonly double _ratio;
    private readonly TopKCompressor? _topK;
    private readonly float[] _sent = [];
    private readonly int[] _indices = [];

    /// <summary>An encoder for a gradient buffer of <paramref name="length"/> floats.</summary>
    /// <param name="exchange">The job's exchange settings (compression and top-k ratio).</param>
    /// <param name="length">Floats in the gradient buffer.</param>
    public GradientEncoder(ExchangeSettings exchange, int length)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        _compression = exchange.Compression;
        _ratio = exchange.TopKRatio;
        if (_compression == WireCompression.TopK)
        {
            _topK = new TopKCompressor(length);
            _sent = new float[length];

            // A range's positions go at its own offset: k never exceeds the range's count.
            _indices = new int[length];
        }
    }

    /// <summary>The residual of top-k error feedback (empty for other compressions), for tests and diagnostics.</summary>
    public ReadOnlySpan<float> Residual => _topK is null ? [] : _topK.Residual;

    /// <summary>
    /// How many values of a <paramref name="count"/>-long range a top-k slice keeps: the ratio's share
    /// (<see cref="TopKCompressor.KeptCount"/>), and never fewer than a receiver accepts
    /// (<see cref="WireSizes.MaxSparseSpread"/>).
    /// </summary>
    /// <param name="count">Values in the range.</param>
    /// <param name="ratio">The top-k ratio.</param>
    public static int KeptCount(int count, double ratio) =>
        Math.Max(TopKCompressor.KeptCount(count, ratio), (count + WireSizes.MaxSparseSpread - 1) / WireSizes.MaxSparseSpread);

    /// <summary>The slice to send for [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="count"/>) of <paramref name="gradient"/>.</summary>
    /// <param name="gradient">The worker's whole gradient buffer, unchanged until the server has answered.</param>
    /// <param name="offset">First element of the range.</param>
    /// <param name="count">Elements in the range.</param>
    public TensorSlice Encode(float[] gradient, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        if (_topK is null)
        {
            return TensorSlice.Borrow(gradient, offset, count) with { Encoding = TensorEncodings.ForGradients(_compression) };
        }

        if (gradient.Length != _sent.Length)
        {
            throw new ArgumentException($"The gradient holds {gradient.Length} floats; this encoder was made for {_sent.Length}.", nameof(gradient));
        }

        int k = KeptCount(count, _ratio);
        var indices = new Memory<int>(_indices, offset, k);
        _topK.Compress(gradient.AsSpan(offset, count), offset, indices.Span, _sent.AsSpan(offset, count));
        var slice = TensorSlice.Borrow(_sent, offset, count);
        return 2L * k >= count ? slice : slice with { Encoding = TensorEncoding.Sparse, Indices = indices };
    }
}
