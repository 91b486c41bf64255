using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Settings;
using Backprop.Cluster.Wire;
using Backprop.Cluster.Worker;

namespace Backprop.Cluster.Tests.Cluster;

/// <summary>
/// The bytes of one synchronous step's tensor messages, counted by the serializer: every worker's
/// gradient slices and the weights slices the server sends each worker, made by the same encoders the
/// actors use and cut into the same ranges. Without the transport's own framing (a few bytes a message
/// on the lane, Akka's envelope on Akka.Remote), which no compression changes.
/// </summary>
/// <param name="Gradients">Bytes of every worker's gradient messages.</param>
/// <param name="Weights">Bytes of the weights messages to every worker.</param>
internal sealed record StepBytes(long Gradients, long Weights)
{
    /// <summary>Gradients and weights together.</summary>
    public long Total => Gradients + Weights;

    /// <summary>Counts a step of a model of <paramref name="parameters"/> floats with random gradients (their values change no size).</summary>
    public static StepBytes Count(int parameters, WireCompression compression, int sliceBytes, int workers, int seed = 1)
    {
        var random = new Random(seed);
        var exchange = new ExchangeSettings { Compression = compression };
        var ranges = TensorSlicing.Ranges(parameters, sliceBytes);
        var weights = new float[parameters];
        long gradientBytes = 0, weightsBytes = 0;
        for (int rank = 0; rank < workers; rank++)
        {
            float[] gradient = [.. Enumerable.Range(0, parameters).Select(_ => (float)(random.NextDouble() - 0.5))];
            var encoder = new GradientEncoder(exchange, parameters);
            foreach (var (offset, count) in ranges)
            {
                var slice = encoder.Encode(gradient, offset, count);
                gradientBytes += WireFormat.SerializedSize(new ParameterServerProtocol.Gradient("job-20260314-1", 1_000, rank, 128, 250.5, 100, slice, 12_345));
                var sent = TensorSlice.Borrow(weights, offset, count) with { Encoding = TensorEncodings.ForWeights(compression) };
                weightsBytes += WireFormat.SerializedSize(new ParameterServerProtocol.Weights("job-20260314-1", 1_000, 2, 40, rank, workers, sent));
            }
        }

        return new StepBytes(gradientBytes, weightsBytes);
    }
}
