using Backprop.Cluster.Sharding;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>Layout of <see cref="ShardProtocol.ShardStepWorkers"/>: <c>[0 JobId: str, 1 Step: int64, 2 WorkerIds: [str]]</c>.</summary>
internal sealed class ShardStepWorkersContract : IWireContract<ShardProtocol.ShardStepWorkers>
{
    private const int Fields = 3;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, ShardProtocol.ShardStepWorkers message)
        where TSink : IWireSink, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(message.WorkerIds);
        sink.WriteArrayHeader(Fields);
        sink.Write(message.JobId);
        sink.Write(message.Step);
        StringLists.Write(ref sink, message.WorkerIds);
    }

    /// <inheritdoc />
    public static ShardProtocol.ShardStepWorkers Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(ShardProtocol.ShardStepWorkers));
        string jobId = source.ReadString(nameof(ShardProtocol.ShardStepWorkers.JobId));
        long step = source.ReadInt64();
        string[] workerIds = StringLists.Read(ref source, nameof(ShardProtocol.ShardStepWorkers.WorkerIds));
        source.EndContract(fields, Fields, nameof(ShardProtocol.ShardStepWorkers));
        return new ShardProtocol.ShardStepWorkers(jobId, step, workerIds);
    }
}
