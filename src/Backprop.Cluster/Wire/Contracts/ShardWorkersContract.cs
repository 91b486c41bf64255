using System.Runtime.Serialization;
using Backprop.Cluster.Sharding;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>
/// Layout of <see cref="ShardProtocol.ShardWorkers"/>: <c>[0 JobId: str, 1 WorkerIds: [str], 2 WorkerPaths: [str]]</c>;
/// the two lists are equally long (refused otherwise, at the sender and at the receiver).
/// </summary>
internal sealed class ShardWorkersContract : IWireContract<ShardProtocol.ShardWorkers>
{
    private const int Fields = 3;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, ShardProtocol.ShardWorkers message)
        where TSink : IWireSink, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(message.WorkerIds);
        ArgumentNullException.ThrowIfNull(message.WorkerPaths);
        if (message.WorkerIds.Count != message.WorkerPaths.Count)
        {
            throw Mismatch(message.WorkerIds.Count, message.WorkerPaths.Count);
        }

        sink.WriteArrayHeader(Fields);
        sink.Write(message.JobId);
        StringLists.Write(ref sink, message.WorkerIds);
        StringLists.Write(ref sink, message.WorkerPaths);
    }

    /// <inheritdoc />
    public static ShardProtocol.ShardWorkers Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(ShardProtocol.ShardWorkers));
        string jobId = source.ReadString(nameof(ShardProtocol.ShardWorkers.JobId));
        string[] workerIds = StringLists.Read(ref source, nameof(ShardProtocol.ShardWorkers.WorkerIds));
        string[] workerPaths = StringLists.Read(ref source, nameof(ShardProtocol.ShardWorkers.WorkerPaths));
        if (workerIds.Length != workerPaths.Length)
        {
            throw Mismatch(workerIds.Length, workerPaths.Length);
        }

        source.EndContract(fields, Fields, nameof(ShardProtocol.ShardWorkers));
        return new ShardProtocol.ShardWorkers(jobId, workerIds, workerPaths);
    }

    private static SerializationException Mismatch(int ids, int paths) =>
        new($"{nameof(ShardProtocol.ShardWorkers)} has {ids} WorkerIds but {paths} WorkerPaths; each worker needs both.");
}
