using Akka.Configuration;

namespace Backprop.Cluster.Wire;

/// <summary>
/// The HOCON that binds <see cref="BackpropSerializer"/> to every <see cref="IWireMessage"/>, for
/// actor systems built from configuration (tests, tools); hosted ones use
/// <see cref="BackpropSerializerHostingExtensions.WithBackpropSerializer"/>.
/// </summary>
public static class SerializationConfig
{
    /// <summary>The serializer's name in <c>akka.actor.serializers</c>.</summary>
    public const string SerializerName = "backprop";

    /// <summary>The binding, to merge into an actor system's configuration.</summary>
    public const string Hocon = """
        akka.actor {
          serializers {
            backprop = "Backprop.Cluster.Wire.BackpropSerializer, Backprop.Cluster"
          }
          serialization-bindings {
            "Backprop.Cluster.Wire.IWireMessage, Backprop.Cluster" = backprop
          }
        }
        """;

    /// <summary><see cref="Hocon"/>, parsed.</summary>
    public static Config Config => ConfigurationFactory.ParseString(Hocon);
}
