using Akka.Actor;
using Akka.Hosting;
using Backprop.Cluster.Wire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Backprop.Cluster.Tests.Wire;

public sealed class SerializationConfigTests
{
    [Fact]
    public void Snippet_should_name_the_serializer_and_the_interface_by_their_real_type_names()
    {
        var config = SerializationConfig.Config;

        Assert.StartsWith(config.GetString("akka.actor.serializers.backprop") + ",", typeof(BackpropSerializer).AssemblyQualifiedName, StringComparison.Ordinal);
        Assert.Contains($"\"{typeof(IWireMessage).FullName}, {typeof(IWireMessage).Assembly.GetName().Name}\" = backprop", SerializationConfig.Hocon, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hosting_extension_should_bind_the_serializer_to_every_wire_message()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostApplicationLifetime, NoHostLifetime>();
        services.AddAkka("wire-hosting", builder => builder.WithBackpropSerializer());
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToArray();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        try
        {
            var system = provider.GetRequiredService<ActorSystem>();

            Assert.All(WireSamples.Small(), message => Assert.IsType<BackpropSerializer>(system.Serialization.FindSerializerFor(message)));
        }
        finally
        {
            foreach (var service in hosted.Reverse())
            {
                await service.StopAsync(CancellationToken.None);
            }
        }
    }

    // Akka.Hosting's hosted service asks for the host's lifetime; there is no host here, only its service.
    private sealed class NoHostLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
