namespace Backprop.Cluster.Wire;

/// <summary>
/// A message that crosses nodes: a MessagePack contract written by <c>BackpropSerializer</c>, bound to
/// it in configuration by this interface. Every implementation has a round-trip test.
/// </summary>
public interface IWireMessage;
