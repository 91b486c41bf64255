namespace Backprop.Cluster.Wire.Contracts;

/// <summary>
/// The wire layout of one message: a MessagePack array whose index is the field's key. Keys are
/// never renumbered or reused; a new field goes at the end (older readers skip it when it is a scalar).
/// </summary>
/// <typeparam name="TMessage">The message.</typeparam>
internal interface IWireContract<TMessage>
    where TMessage : IWireMessage
{
    /// <summary>Writes <paramref name="message"/>; the same code counts its size and writes it.</summary>
    /// <typeparam name="TSink">The writer or the byte counter.</typeparam>
    /// <param name="sink">Where the fields go.</param>
    /// <param name="message">The message.</param>
    static abstract void Write<TSink>(ref TSink sink, TMessage message)
        where TSink : IWireSink, allows ref struct;

    /// <summary>Reads a message, validating every field before it allocates for it.</summary>
    /// <param name="source">The bytes.</param>
    static abstract TMessage Read(ref WireSource source);
}
