namespace Backprop.Cluster.Wire.Contracts;

/// <summary>One row of <see cref="WireContracts.All"/>: a manifest, a message type and its contract.</summary>
internal abstract class WireContract
{
    /// <summary>Sets the row's keys.</summary>
    /// <param name="manifest">The manifest.</param>
    /// <param name="messageType">The message type.</param>
    protected WireContract(string manifest, Type messageType)
    {
        Manifest = manifest;
        MessageType = messageType;
    }

    /// <summary>The string Akka sends beside the bytes; on the wire, so never changed or reused.</summary>
    public string Manifest { get; }

    /// <summary>The message type.</summary>
    public Type MessageType { get; }

    /// <summary>The row of <typeparamref name="TMessage"/> written by <typeparamref name="TContract"/>.</summary>
    /// <typeparam name="TMessage">The message.</typeparam>
    /// <typeparam name="TContract">Its layout.</typeparam>
    /// <param name="manifest">Its manifest.</param>
    public static WireContract For<TMessage, TContract>(string manifest)
        where TMessage : IWireMessage
        where TContract : IWireContract<TMessage> =>
        new WireContractRow<TMessage, TContract>(manifest);

    /// <summary>Bytes the message takes serialized, counted without writing.</summary>
    /// <param name="message">A message of <see cref="MessageType"/>.</param>
    public abstract long SerializedSize(IWireMessage message);

    /// <summary>Writes the message.</summary>
    /// <param name="sink">The output.</param>
    /// <param name="message">A message of <see cref="MessageType"/>.</param>
    public abstract void Write(ref MessagePackSink sink, IWireMessage message);

    /// <summary>Reads a message of <see cref="MessageType"/>.</summary>
    /// <param name="source">The bytes.</param>
    public abstract IWireMessage Read(ref WireSource source);
}
