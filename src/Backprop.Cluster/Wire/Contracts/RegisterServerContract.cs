using Backprop.Cluster.Sharding;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>Layout of <see cref="ShardProtocol.RegisterServer"/>: <c>[0 ServerId: str, 1 WireVersion: int, 2 Build: str]</c>.</summary>
internal sealed class RegisterServerContract : IWireContract<ShardProtocol.RegisterServer>
{
    private const int Fields = 3;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, ShardProtocol.RegisterServer message)
        where TSink : IWireSink, allows ref struct
    {
        sink.WriteArrayHeader(Fields);
        sink.Write(message.ServerId);
        sink.Write(message.WireVersion);
        sink.Write(message.Build);
    }

    /// <inheritdoc />
    public static ShardProtocol.RegisterServer Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(ShardProtocol.RegisterServer));
        var message = new ShardProtocol.RegisterServer(
            ServerId: source.ReadString(nameof(ShardProtocol.RegisterServer.ServerId)),
            WireVersion: source.ReadInt32(),
            Build: source.ReadString(nameof(ShardProtocol.RegisterServer.Build)));
        source.EndContract(fields, Fields, nameof(ShardProtocol.RegisterServer));
        return message;
    }
}
