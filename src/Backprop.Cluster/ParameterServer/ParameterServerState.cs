using Backprop.Cluster.Exchange;
using Backprop.Cluster.Wire;
using Backprop.Nn.Training;

namespace Backprop.Cluster.ParameterServer;

/// <summary>
/// The bookkeeping of one synchronous step, free of Akka: who is in it and with which rank, which
/// slices of whose gradient have arrived, every rejection rule, and the rank-ordered sum. The actor
/// only routes messages to it, so every rule is tested here with plain calls.
/// </summary>
internal sealed class ParameterServerState
{
    private readonly int _parameterCount;
    private readonly List<RankSlot> _slots = [];
    private readonly int _expected;
    private readonly Dictionary<string, long> _rejections = new(StringComparer.Ordinal);
    private readonly List<float[]> _contributions = [];

    private readonly HashSet<string> _leftOut = new(StringComparer.Ordinal);
    private long _leftOutVersion = -1;

    public ParameterServerState(string jobId, int parameterCount, GradientBuckets? buckets = null, int backupWorkers = 0, int staleness = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parameterCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(backupWorkers);
        ArgumentOutOfRangeException.ThrowIfNegative(staleness);
        JobId = jobId;
        BackupWorkers = backupWorkers;
        Staleness = staleness;
        _parameterCount = parameterCount;
        Buckets = buckets ?? GradientBuckets.Whole(parameterCount);

        // A shard of a sharded server expects only its own buckets, a range of the model's parameters.
        if (Buckets.Length > parameterCount || (!Sharded && Buckets.Length != parameterCount))
        {
            throw new ArgumentException($"The buckets cover {Buckets.Length} floats; the model has {parameterCount} parameters.", nameof(buckets));
        }

        _expected = Buckets.Covered;
    }

    /// <summary>Whether the buckets are one shard's: a worker's gradient is complete once they are in.</summary>
    private bool Sharded => Buckets.Covered != _parameterCount;

    /// <summary>With backup workers k, a step is complete once all but k of its workers still in it have contributed.</summary>
    public int BackupWorkers { get; }

    /// <summary>How many versions older than its step a gradient's weights may be.</summary>
    public int Staleness { get; }

    /// <summary>How gradients are cut; every slice must lie within one bucket.</summary>
    public GradientBuckets Buckets { get; }

    private enum SlotStatus
    {
        Waiting,
        Complete,
        Dropped,
        Rejected,
    }

    public string JobId { get; }

    /// <summary>The version of the open step, or of the last one closed.</summary>
    public long Version { get; private set; } = -1;

    public bool IsOpen { get; private set; }

    /// <summary>The workers of the open step, in rank order.</summary>
    public IReadOnlyList<string> Workers => [.. _slots.Select(s => s.WorkerId)];

    /// <summary>Rejected gradient slices by reason, over the whole job.</summary>
    public IReadOnlyDictionary<string, long> Rejections => _rejections;

    public long RejectedTotal => _rejections.Values.Sum();

    /// <summary>
    /// Whether every worker of the open step has contributed, been dropped or been rejected — or, with
    /// backup workers k, all but k of those still in it have contributed.
    /// </summary>
    public bool IsComplete
    {
        get
        {
            if (!IsOpen)
            {
                return false;
            }

            int waiting = 0, complete = 0;
            foreach (var slot in _slots)
            {
                waiting += slot.Status == SlotStatus.Waiting ? 1 : 0;
                complete += slot.Status == SlotStatus.Complete ? 1 : 0;
            }

            return waiting == 0 || (BackupWorkers > 0 && complete >= Math.Max(1, complete + waiting - BackupWorkers));
        }
    }

    /// <summary>Whether the worker of <paramref name="rank"/> in the open step has its whole gradient in.</summary>
    public bool HasArrived(int rank) => (uint)rank < (uint)_slots.Count && _slots[rank].Status == SlotStatus.Complete;

    /// <summary>Opens step <paramref name="version"/> for <paramref name="workers"/>, ranks in their order.</summary>
    public void Open(long version, IReadOnlyList<string> workers)
    {
        ArgumentNullException.ThrowIfNull(workers);
        if (version <= Version)
        {
            throw new InvalidOperationException($"Step {version} opened after step {Version}.");
        }

        while (_slots.Count < workers.Count)
        {
            _slots.Add(new RankSlot(_parameterCount, Buckets.InSendOrder.Count));
        }

        foreach (var gone in _slots.Skip(workers.Count))
        {
            gone.ReleaseKept();
        }

        _slots.RemoveRange(workers.Count, _slots.Count - workers.Count);
        for (int rank = 0; rank < workers.Count; rank++)
        {
            _slots[rank].Reset(workers[rank]);
        }

        Version = version;
        IsOpen = true;
    }

    /// <summary>Takes a gradient slice into the open step, or rejects it with the reason.</summary>
    /// <param name="workerId">The sender.</param>
    /// <param name="gradient">
    /// The slice: copied, except a whole gradient in one slice, which the state keeps (saying so in
    /// the verdict) and releases once the step is summed or abandoned.
    /// </param>
    public GradientVerdict Accept(string workerId, ParameterServerProtocol.Gradient gradient)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        var verdict = Judge(workerId, gradient);
        if (!verdict.Accepted)
        {
            _rejections[verdict.Reason!] = _rejections.GetValueOrDefault(verdict.Reason!) + 1;
        }

        return verdict;
    }

    /// <summary>Removes a worker from the open step (it left or timed out); true if it was waited for.</summary>
    public bool Drop(string workerId)
    {
        bool dropped = false;
        foreach (var slot in _slots)
        {
            if (IsOpen && slot.WorkerId == workerId && slot.Status == SlotStatus.Waiting)
            {
                slot.Status = SlotStatus.Dropped;
                dropped = true;
            }
        }

        return dropped;
    }

    /// <summary>Gives up on every worker still missing (the step timed out); returns their ids.</summary>
    public IReadOnlyList<string> DropWaiting()
    {
        var dropped = new List<string>();
        foreach (var slot in _slots.Where(s => s.Status == SlotStatus.Waiting))
        {
            slot.Status = SlotStatus.Dropped;
            dropped.Add(slot.WorkerId);
        }

        return dropped;
    }

    /// <summary>Gives the open step up unapplied (the job is stopping): what it kept is released.</summary>
    public void Abandon()
    {
        foreach (var slot in _slots)
        {
            slot.ReleaseKept();
        }

        IsOpen = false;
    }

    /// <summary>
    /// Whether bucket <paramref name="bucket"/> of the open step is in from every worker still in it
    /// (workers dropped or rejected are not waited for).
    /// </summary>
    public bool BucketReady(int bucket)
    {
        if (!IsOpen)
        {
            return false;
        }

        int count = Buckets.InSendOrder[bucket].Count;
        foreach (var slot in _slots)
        {
            if (slot.Status == SlotStatus.Waiting && slot.BucketReceived[bucket] != count)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The gradients of bucket <paramref name="bucket"/> to sum, in rank order, with the samples they
    /// cover: those of every worker still in the step that has rows. The arrays are the slots' own;
    /// the bucket's range in them is final (a slice sent twice is rejected before it is copied), so
    /// they can be summed off the actor while other buckets arrive.
    /// </summary>
    public (IReadOnlyList<float[]> Gradients, int Samples) BucketContributions(int bucket)
    {
        if (!BucketReady(bucket))
        {
            throw new InvalidOperationException($"Bucket {bucket} of step {Version} is not in from every worker.");
        }

        var gradients = new List<float[]>(_slots.Count);
        int samples = 0;
        foreach (var slot in _slots)
        {
            if (slot.Status is SlotStatus.Waiting or SlotStatus.Complete && slot.Samples > 0)
            {
                gradients.Add(slot.Kept is { } kept ? kept.Data : slot.Buffer);
                samples += slot.Samples;
            }
        }

        return (gradients, samples);
    }

    /// <summary>
    /// Closes a step whose buckets were summed and applied one by one: only the totals (samples,
    /// loss, contributors) are counted here.
    /// </summary>
    public StepTotals Finish()
    {
        if (!IsComplete)
        {
            throw new InvalidOperationException($"Step {Version} is not complete.");
        }

        return Totals();
    }

    /// <summary>
    /// Closes the step: the complete gradients summed in rank order into <paramref name="total"/>
    /// (ranks with no rows left out, as the local reference does), with their samples and loss.
    /// </summary>
    public StepTotals Close(Span<float> total)
    {
        if (!IsComplete)
        {
            throw new InvalidOperationException($"Step {Version} is not complete.");
        }

        _contributions.Clear();
        foreach (var slot in _slots)
        {
            if (slot.Status == SlotStatus.Complete && slot.Samples > 0)
            {
                _contributions.Add(slot.Kept is { } kept ? kept.Data : slot.Buffer);
            }
        }

        GradientSum.InRankOrder(_contributions, total);
        return Totals();
    }

    private StepTotals Totals()
    {
        int samples = 0, correct = 0, contributors = 0, missing = 0, leftOut = 0;
        long stepsBehind = 0;
        double loss = 0;
        _leftOut.Clear();
        _leftOutVersion = Version;
        foreach (var slot in _slots)
        {
            if (slot.Status == SlotStatus.Waiting)
            {
                // Only a step closed by its quorum of backup workers has any still waiting.
                leftOut++;
                _leftOut.Add(slot.WorkerId);
                continue;
            }

            if (slot.Status != SlotStatus.Complete)
            {
                missing++;
                continue;
            }

            contributors++;
            stepsBehind += slot.StepsBehind;
            samples += slot.Samples;
            loss += slot.LossSum;
            correct += slot.Correct;
        }

        foreach (var slot in _slots)
        {
            slot.ReleaseKept();
        }

        IsOpen = false;
        return new StepTotals(samples, loss, correct, contributors, missing, leftOut, stepsBehind);
    }

    private GradientVerdict Judge(string workerId, ParameterServerProtocol.Gradient g)
    {
        if (g.JobId != JobId)
        {
            return GradientVerdict.Reject("other-job", $"a gradient of job {g.JobId} from {workerId}; this is job {JobId}");
        }

        if (g.Version == _leftOutVersion && _leftOut.Contains(workerId) && (g.Version < Version || !IsOpen))
        {
            return GradientVerdict.Reject("late", $"a gradient of step {g.Version} from {workerId}, a backup worker the step closed without");
        }

        if (!IsOpen || g.Version < Version)
        {
            return GradientVerdict.Reject("stale", $"a gradient of step {g.Version} from {workerId}, but step {Version} {(IsOpen ? "is open" : "is closed")}");
        }

        if (g.Version > Version)
        {
            return GradientVerdict.Reject("future", $"a gradient of step {g.Version} from {workerId} while step {Version} is open");
        }

        if (g.Rank < 0 || g.Rank >= _slots.Count || _slots[g.Rank].WorkerId != workerId)
        {
            return GradientVerdict.Reject("not-member", $"a gradient claiming rank {g.Rank} from {workerId}, which is not that rank of step {Version}");
        }

        if (g.World > 0 && g.World != _slots.Count)
        {
            return GradientVerdict.Reject("wrong-world", $"a gradient of step {Version} from {workerId} cut for {g.World} workers; the step has {_slots.Count}");
        }

        if (g.Staleness < 0 || g.Staleness > Staleness)
        {
            return GradientVerdict.Reject(
                "too-stale", $"a gradient of step {Version} from {workerId} computed on weights {g.Staleness} versions older; backprop.cluster.exchange.staleness allows {Staleness}");
        }

        var slot = _slots[g.Rank];
        if (slot.Status is SlotStatus.Dropped or SlotStatus.Rejected)
        {
            return GradientVerdict.Reject("dropped", $"a gradient slice of step {Version} from {workerId} after it was dropped from the step");
        }

        if (g.Samples < 0 || (slot.HasHeader && (slot.Samples != g.Samples || slot.LossSum != g.LossSum || slot.Correct != g.Correct || slot.StepsBehind != g.Staleness)))
        {
            return GradientVerdict.Reject("inconsistent", $"slices of step {Version} from {workerId} disagree on their sample count or loss");
        }

        if (g.Slice.TotalLength != _parameterCount)
        {
            return GradientVerdict.Reject("wrong-length", $"a gradient of {g.Slice.TotalLength} values from {workerId}; the model has {_parameterCount} parameters");
        }

        int bucket = g.Slice.Count == 0 ? 0 : Buckets.IndexOf(g.Slice.Offset, g.Slice.Count);
        if (bucket < 0)
        {
            return GradientVerdict.Reject("wrong-bucket", $"a gradient slice [{g.Slice.Offset}, +{g.Slice.Count}) from {workerId} that crosses a bucket's edge; is the worker's backprop.cluster.exchange.bucket-bytes the job's?");
        }

        // A whole gradient in one slice (the tensor lane's way) is summed from where it arrived: no copy.
        bool keep = g.Slice is { Offset: 0, Start: 0 } && g.Slice.Count == _parameterCount && slot.Assembly.ReceivedCount == 0 && slot.Kept is null;
        var outcome = slot.Kept is not null ? AssemblyOutcome.Duplicate
            : keep ? AssemblyOutcome.Accepted
            : slot.Assembly.Add(g.Slice, slot.Buffer);
        if (outcome == AssemblyOutcome.OutOfRange)
        {
            return GradientVerdict.Reject("wrong-length", $"a gradient slice [{g.Slice.Offset}, +{g.Slice.Count}) from {workerId} outside the {_parameterCount} parameters");
        }

        if (outcome == AssemblyOutcome.Duplicate)
        {
            return GradientVerdict.Reject("duplicate", $"a gradient slice [{g.Slice.Offset}, +{g.Slice.Count}) of step {Version} from {workerId} received twice");
        }

        if (!TensorValues.AllFinite(g.Slice.Values) || !double.IsFinite(g.LossSum))
        {
            // One poisoned slice spoils the whole gradient: the worker's contribution to this step is void.
            slot.Status = SlotStatus.Rejected;
            return GradientVerdict.Reject("non-finite", $"a gradient of step {Version} from {workerId} with NaN or infinite values");
        }

        slot.SetHeader(g.Samples, g.LossSum, g.Correct, g.Staleness);
        slot.BucketReceived[bucket] += g.Slice.Count;
        if (keep)
        {
            slot.Keep(g.Slice);
            slot.Status = SlotStatus.Complete;
            return GradientVerdict.OkKept;
        }

        if (slot.Assembly.ReceivedCount == _expected)
        {
            slot.Status = SlotStatus.Complete;
        }

        return GradientVerdict.Ok;
    }

    private sealed class RankSlot(int length, int buckets)
    {
        public string WorkerId { get; private set; } = string.Empty;

        /// <summary>Floats received of each bucket.</summary>
        public int[] BucketReceived { get; } = new int[buckets];

        public float[] Buffer { get; } = new float[length];

        public TensorAssembly Assembly { get; } = new(length);

        public SlotStatus Status { get; set; }

        public bool HasHeader { get; private set; }

        public int Samples { get; private set; }

        public double LossSum { get; private set; }

        public int Correct { get; private set; }

        /// <summary>Versions between the weights the gradient was computed on and its step.</summary>
        public long StepsBehind { get; private set; }

        /// <summary>A whole gradient kept as it arrived instead of copied into <see cref="Buffer"/>.</summary>
        public TensorSlice? Kept { get; private set; }

        public void Keep(TensorSlice slice) => Kept = slice;

        public void ReleaseKept()
        {
            Kept?.Release();
            Kept = null;
        }

        public void Reset(string workerId)
        {
            ReleaseKept();
            WorkerId = workerId;
            Status = SlotStatus.Waiting;
            HasHeader = false;
            Samples = 0;
            LossSum = 0;
            Correct = 0;
            Array.Clear(BucketReceived);
            Assembly.Reset(Buffer.Length);
        }

        public void SetHeader(int samples, double loss, int correct, long stepsBehind)
        {
            HasHeader = true;
            StepsBehind = stepsBehind;
            Samples = samples;
            LossSum = loss;
            Correct = correct;
        }
    }
}
