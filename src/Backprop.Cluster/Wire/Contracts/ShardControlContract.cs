using System.Runtime.Serialization;
using Backprop.Cluster.Sharding;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>
/// Layout of <see cref="ShardProtocol.ShardControl"/>: <c>[0 JobId: str, 1 Command: int]</c>, the command as its
/// <see cref="ShardProtocol.ShardCommand"/> value (0 Proceed, 1 Halt, 2 Finished, 3 Ended); any other is refused.
/// </summary>
internal sealed class ShardControlContract : IWireContract<ShardProtocol.ShardControl>
{
    private const int Fields = 2;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, ShardProtocol.ShardControl message)
        where TSink : IWireSink, allows ref struct
    {
        // Fail at the sender, where the bug is, rather than as a dropped message at the receiver.
        if (!Enum.IsDefined(message.Command))
        {
            throw Unknown((int)message.Command);
        }

        sink.WriteArrayHeader(Fields);
        sink.Write(message.JobId);
        sink.Write((long)message.Command);
    }

    /// <inheritdoc />
    public static ShardProtocol.ShardControl Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(ShardProtocol.ShardControl));
        string jobId = source.ReadString(nameof(ShardProtocol.ShardControl.JobId));
        int code = source.ReadInt32();
        var command = Enum.IsDefined((ShardProtocol.ShardCommand)code) ? (ShardProtocol.ShardCommand)code : throw Unknown(code);
        source.EndContract(fields, Fields, nameof(ShardProtocol.ShardControl));
        return new ShardProtocol.ShardControl(jobId, command);
    }

    private static SerializationException Unknown(int code) =>
        new($"{nameof(ShardProtocol.ShardControl)} command {code} is unknown to this build (0 Proceed, 1 Halt, 2 Finished, 3 Ended).");
}
