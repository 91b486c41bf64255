using Backprop.Cluster.Coordinator;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>Layout of <see cref="CoordinatorProtocol.RegisterWorker"/>: <c>[0 WorkerId: str, 1 WireVersion: int, 2 Build: str, 3 Threads: int]</c>.</summary>
internal sealed class RegisterWorkerContract : IWireContract<CoordinatorProtocol.RegisterWorker>
{
    private const int Fields = 4;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, CoordinatorProtocol.RegisterWorker message)
        where TSink : IWireSink, allows ref struct
    {
        sink.WriteArrayHeader(Fields);
        sink.Write(message.WorkerId);
        sink.Write(message.WireVersion);
        sink.Write(message.Build);
        sink.Write(message.Threads);
    }

    /// <inheritdoc />
    public static CoordinatorProtocol.RegisterWorker Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(CoordinatorProtocol.RegisterWorker));
        var message = new CoordinatorProtocol.RegisterWorker(
            WorkerId: source.ReadString(nameof(CoordinatorProtocol.RegisterWorker.WorkerId)),
            WireVersion: source.ReadInt32(),
            Build: source.ReadString(nameof(CoordinatorProtocol.RegisterWorker.Build)),
            Threads: source.ReadInt32());
        source.EndContract(fields, Fields, nameof(CoordinatorProtocol.RegisterWorker));
        return message;
    }
}
