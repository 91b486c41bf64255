namespace Backprop.Cluster.Tests;

/// <summary>A single-node cluster actor system for actor tests: the actors use the cluster extension, nobody joins.</summary>
internal static class ClusterTestConfig
{
    public const string Hocon = """
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        akka.loglevel = WARNING
        akka.actor.serializers.backprop = "Backprop.Cluster.Wire.BackpropSerializer, Backprop.Cluster"
        akka.actor.serialization-bindings { "Backprop.Cluster.Wire.IWireMessage, Backprop.Cluster" = backprop }
        """;
}
