using Akka.Actor;
using Backprop.Cluster.Exchange;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Wire;
using Backprop.Nn.Models;

namespace Backprop.Cluster.Worker;

/// <summary>
/// Sends a worker's gradient bucket by bucket while the backward pass goes on: told each layer as it
/// finishes (last first), it sends every bucket that layer completes. Used only from the thread that
/// computes the step, between <see cref="Begin"/> and the end of the computation.
/// </summary>
internal sealed class BucketSender(GradientBuckets buckets, float[] gradient, int sliceBytes, GradientEncoder encoder, bool detach, Sharding.ShardPlan? shards = null)
{
    private IReadOnlyList<IActorRef> _servers = [];
    private IActorRef _self = ActorRefs.Nobody;
    private string _jobId = string.Empty;
    private long _version;
    private int _rank;
    private long _weightsVersion;
    private int _world;
    private long _startedAt;
    private int _next;

    /// <summary>Whether every bucket of the step has gone.</summary>
    public bool AllSent => _next == buckets.InSendOrder.Count;

    /// <summary>Prepares for one step's gradient.</summary>
    /// <param name="servers">Where gradients go: the server, or each shard's by index (a bucket lies in one).</param>
    /// <param name="self">The worker, as the sender.</param>
    /// <param name="jobId">The job.</param>
    /// <param name="version">The step.</param>
    /// <param name="rank">The worker's rank in it.</param>
    /// <param name="weightsVersion">The version of the weights it is computed on.</param>
    /// <param name="world">Workers the batch is cut for.</param>
    public void Begin(IReadOnlyList<IActorRef> servers, IActorRef self, string jobId, long version, int rank, long weightsVersion, int world)
    {
        _weightsVersion = weightsVersion;
        _world = world;
        _servers = servers;
        _self = self;
        _jobId = jobId;
        _version = version;
        _rank = rank;
        _startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        _next = 0;
    }

    /// <summary>The backward pass has finished <paramref name="layer"/>: send what it completes.</summary>
    /// <param name="layer">The layer just finished.</param>
    /// <param name="batch">The slice's rows, loss and correct predictions (known since the forward pass).</param>
    public void LayerDone(int layer, BatchResult batch)
    {
        while (_next < buckets.InSendOrder.Count && buckets.InSendOrder[_next].LowestLayer >= layer)
        {
            Send(buckets.InSendOrder[_next++], batch);
        }
    }

    private void Send(GradientBucket bucket, BatchResult batch)
    {
        long micros = (long)System.Diagnostics.Stopwatch.GetElapsedTime(_startedAt).TotalMicroseconds;
        var server = _servers[shards is null ? 0 : shards.ShardOf(bucket.Offset)];
        foreach (var (offset, count) in TensorSlicing.Ranges(bucket.Count, sliceBytes))
        {
            // No copy: this range is final for the step, and the buffer (and the encoder's) is rewritten
            // only for the next step, whose weights come after the server has summed this one — unless
            // a worker may run ahead of its weights (staleness), which starts the next step at once.
            var slice = encoder.Encode(gradient, bucket.Offset + offset, count);
            slice = detach ? slice.Detached() : slice;
            server.Tell(new ParameterServerProtocol.Gradient(_jobId, _version, _rank, batch.Rows, batch.LossSum, batch.Correct, slice, micros, _weightsVersion, _world), _self);
        }
    }
}
