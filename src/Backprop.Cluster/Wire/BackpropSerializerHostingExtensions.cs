using Akka.Hosting;

namespace Backprop.Cluster.Wire;

/// <summary>Binds <see cref="BackpropSerializer"/> in an Akka.Hosting composition root.</summary>
public static class BackpropSerializerHostingExtensions
{
    /// <summary>Serializes every <see cref="IWireMessage"/> with <see cref="BackpropSerializer"/>.</summary>
    /// <param name="builder">The actor system's builder.</param>
    /// <returns>The same builder.</returns>
    public static AkkaConfigurationBuilder WithBackpropSerializer(this AkkaConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithCustomSerializer(SerializationConfig.SerializerName, [typeof(IWireMessage)], system => new BackpropSerializer(system));
    }
}
