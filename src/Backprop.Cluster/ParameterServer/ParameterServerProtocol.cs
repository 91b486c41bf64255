using Backprop.Cluster.Wire;

namespace Backprop.Cluster.ParameterServer;

/// <summary>The tensor messages between the parameter server and the workers.</summary>
public static class ParameterServerProtocol
{
    /// <summary>
    /// One slice of the weights of <paramref name="Version"/>, with the step every worker computes on
    /// them: which batch of which epoch, and the receiver's rank among how many workers (from which
    /// it computes its rows — no data crosses the network).
    /// </summary>
    /// <param name="JobId">The job.</param>
    /// <param name="Version">The parameters' version (= global step, 0-based).</param>
    /// <param name="Epoch">0-based epoch of the step.</param>
    /// <param name="Batch">0-based batch within the epoch.</param>
    /// <param name="Rank">The receiver's rank in this step.</param>
    /// <param name="World">Workers in this step.</param>
    /// <param name="Slice">The values.</param>
    public sealed record Weights(string JobId, long Version, int Epoch, int Batch, int Rank, int World, TensorSlice Slice) : IWireMessage;

    /// <summary>
    /// One slice of a worker's gradient for <paramref name="Version"/>: the <b>sum</b> over its rows,
    /// with their count, summed loss and correct predictions.
    /// </summary>
    /// <param name="JobId">The job.</param>
    /// <param name="Version">The version the gradient was computed on.</param>
    /// <param name="Rank">The sender's rank in that step.</param>
    /// <param name="Samples">Rows the sum covers.</param>
    /// <param name="LossSum">Summed loss of those rows.</param>
    /// <param name="Correct">Correct predictions among them (classification).</param>
    /// <param name="Slice">The values.</param>
    /// <param name="ComputeMicros">How long the worker computed the gradient, for the step-time breakdown.</param>
    /// <param name="WeightsVersion">
    /// The version of the weights it was computed on: <paramref name="Version"/> in synchronous steps,
    /// up to <c>staleness</c> older otherwise; -1 for the step's own.
    /// </param>
    /// <param name="World">Workers the sender cut the batch for (0: not said); with staleness a worker
    /// assumes the last roster it was told, and a gradient cut for another is refused.</param>
    public sealed record Gradient(string JobId, long Version, int Rank, int Samples, double LossSum, int Correct, TensorSlice Slice, long ComputeMicros = 0, long WeightsVersion = -1, int World = 0) : IWireMessage
    {
        /// <summary>How many versions older than its step the weights it was computed on are.</summary>
        public long Staleness => WeightsVersion < 0 ? 0 : Version - WeightsVersion;
    }
}
