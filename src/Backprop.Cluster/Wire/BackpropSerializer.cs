using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace Backprop.Cluster.Wire;

/// <summary>
/// The Akka serializer of every <see cref="IWireMessage"/>: short string manifests, MessagePack
/// contracts written by hand (no reflection, no typeless resolver), float payloads as raw bytes.
/// Bound by <see cref="SerializationConfig.Hocon"/> or
/// <see cref="BackpropSerializerHostingExtensions.WithBackpropSerializer"/>.
/// </summary>
/// <remarks>
/// <see cref="ToBinary"/> never releases a message's pooled slice: Akka may serialize one message
/// several times (a broadcast, <c>serialize-messages</c>), and the array is the receiver's anyway.
/// </remarks>
public sealed class BackpropSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer's identifier on the wire (above Akka's reserved range); never change it.</summary>
    public const int Id = 4711;

    /// <summary>Created by Akka from configuration.</summary>
    /// <param name="system">The actor system.</param>
    /// <exception cref="PlatformNotSupportedException">The host is big-endian.</exception>
    public BackpropSerializer(ExtendedActorSystem system)
        : base(system)
    {
        // Refuse at start-up rather than on the first tensor message.
        WireFormat.EnsureLittleEndian();
    }

    /// <inheritdoc />
    public override int Identifier => Id;

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => WireFormat.Serialize(AsWireMessage(obj));

    /// <inheritdoc />
    public override string Manifest(object o) => WireFormat.Manifest(AsWireMessage(o));

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest) => WireFormat.Deserialize(bytes, manifest);

    private static IWireMessage AsWireMessage(object obj) =>
        obj as IWireMessage
            ?? throw new SerializationException(
                $"{nameof(BackpropSerializer)} writes only IWireMessage, not {obj?.GetType().FullName ?? "null"}: check the serialization-bindings.");
}
