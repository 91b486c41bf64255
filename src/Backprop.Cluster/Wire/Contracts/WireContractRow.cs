namespace Backprop.Cluster.Wire.Contracts;

/// <summary>A <see cref="WireContract"/> that dispatches statically to <typeparamref name="TContract"/>.</summary>
/// <typeparam name="TMessage">The message.</typeparam>
/// <typeparam name="TContract">Its layout.</typeparam>
internal sealed class WireContractRow<TMessage, TContract> : WireContract
    where TMessage : IWireMessage
    where TContract : IWireContract<TMessage>
{
    /// <summary>The row for <paramref name="manifest"/>.</summary>
    /// <param name="manifest">The manifest.</param>
    public WireContractRow(string manifest)
        : base(manifest, typeof(TMessage))
    {
    }

    /// <inheritdoc />
    public override long SerializedSize(IWireMessage message)
    {
        var counter = default(WireSizeCounter);
        TContract.Write(ref counter, (TMessage)message);
        return counter.Bytes;
    }

    /// <inheritdoc />
    public override void Write(ref MessagePackSink sink, IWireMessage message) => TContract.Write(ref sink, (TMessage)message);

    /// <inheritdoc />
    public override IWireMessage Read(ref WireSource source) => TContract.Read(ref source);
}
