using Backprop.Nn.Data;
using Backprop.Nn.Models;

namespace Backprop.Nn.Training;

/// <summary>
/// A cluster worker's share of a step: from (epoch, batch, rank, world) it computes which rows of
/// the shuffled epoch are its slice, gathers them from its own copy of the data, and writes the
/// gradient of their summed loss — exactly what the local trainer computes for that slice, so N
/// workers reproduce local training bit for bit.
/// </summary>
public sealed class SliceTrainer
{
    private readonly Network _network;
    private readonly Dataset _train;
    private readonly long _seed;
    private readonly int _batchSize;
    private readonly NetworkWorkspace _workspace;
    private readonly BatchBuffer _batch;
    private readonly int[] _order;
    private int _orderEpoch = -1;

    /// <summary>A worker's compute for one job.</summary>
    /// <param name="network">The replica, whose parameters the worker overwrites with each step's weights.</param>
    /// <param name="train">The scaled training split, the same as the coordinator's (checked by fingerprint).</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="batchSize">The global batch size.</param>
    public SliceTrainer(Network network, Dataset train, long seed, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _network = network;
        _train = train;
        _seed = seed;
        _batchSize = batchSize;
        _workspace = network.CreateWorkspace(batchSize);
        _batch = new BatchBuffer(train, batchSize);
        _order = new int[train.Count];
        Gradient = new float[network.Layout.Length];
    }

    /// <summary>The replica's parameters, written by the worker before each step.</summary>
    public float[] Parameters => _network.Parameters;

    /// <summary>Where each layer's parameters (and gradients) lie in the flat buffers.</summary>
    public Parameters.ParameterLayout Layout => _network.Layout;

    /// <summary>Swaps in the next step's parameters; see <see cref="Network.ExchangeParameters"/>.</summary>
    /// <param name="replacement">The new parameters.</param>
    /// <returns>The previous buffer, free to be written.</returns>
    public float[] ExchangeParameters(float[] replacement) => _network.ExchangeParameters(replacement);

    /// <summary>The last slice's gradient (a sum over its rows).</summary>
    public float[] Gradient { get; }

    /// <summary>Batches per epoch.</summary>
    public int BatchesPerEpoch => EpochOrder.BatchCount(_train.Count, _batchSize);

    /// <summary>
    /// Computes this worker's slice of a step into <see cref="Gradient"/>. A slice with no rows (more
    /// workers than rows) gives a zero gradient and zero samples.
    /// </summary>
    /// <param name="step">The global step (the weights' version).</param>
    /// <param name="epoch">0-based epoch.</param>
    /// <param name="batch">0-based batch within the epoch.</param>
    /// <param name="rank">This worker's rank.</param>
    /// <param name="world">Workers in the step.</param>
    /// <param name="layerDone">
    /// Told each layer, last first, once its gradient is final (every layer at once, after the
    /// zeros, for a slice with no rows).
    /// </param>
    public BatchResult Compute(long step, int epoch, int batch, int rank, int world, Action<int, BatchResult>? layerDone = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(batch, BatchesPerEpoch);
        if (_orderEpoch != epoch)
        {
            EpochOrder.Fill(_seed, epoch, _order);
            _orderEpoch = epoch;
        }

        int first = batch * _batchSize;
        int rows = Math.Min(_batchSize, _train.Count - first);
        var (start, count) = BatchSlicing.Slice(rows, world, rank);
        if (count == 0)
        {
            Array.Clear(Gradient);
            var none = new BatchResult(0, 0, 0);
            for (int layer = _network.Layout.LayerCount - 1; layer >= 0 && layerDone is not null; layer--)
            {
                layerDone(layer, none);
            }

            return none;
        }

        _batch.Gather(_order.AsSpan(first + start, count));
        return _network.ComputeGradient(
            _batch.X(0, count), count, _batch.LabelsOf(0, count), _batch.TargetsOf(0, count), Gradient, _workspace, new DropoutDraw(_seed, step, start), layerDone: layerDone);
    }
}
