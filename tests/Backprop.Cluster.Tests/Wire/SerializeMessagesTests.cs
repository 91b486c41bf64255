using Akka.Actor;
using Akka.TestKit.Xunit2;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Tests.Wire;

public sealed class SerializeMessagesTests : TestKit
{
    public SerializeMessagesTests()
        : base(SerializationConfig.Hocon + "\nakka.actor.serialize-messages = on\n")
    {
    }

    [Fact]
    public async Task Weights_should_arrive_intact_when_every_message_goes_through_the_serializer()
    {
        var sent = new ParameterServerProtocol.Weights("job-1", 9, 1, 2, 0, 3, WireSamples.RandomSlice(seed: 21, totalLength: 90_000, offset: 60_000, count: 30_000));

        TestActor.Tell(sent);
        var received = await ExpectMsgAsync<ParameterServerProtocol.Weights>(TimeSpan.FromSeconds(5));

        // A different instance proves the message was serialized on the way, not passed by reference.
        Assert.NotSame(sent, received);
        WireAssert.Equal(sent, received);
        received.Slice.Release();
    }

    [Fact]
    public async Task Control_messages_should_arrive_intact_when_every_message_goes_through_the_serializer()
    {
        var sent = new CoordinatorProtocol.RegisterWorker("worker-1", WireVersion.Current, "1.0.0", 8);

        TestActor.Tell(sent);
        var received = await ExpectMsgAsync<CoordinatorProtocol.RegisterWorker>(TimeSpan.FromSeconds(5));

        Assert.NotSame(sent, received);
        Assert.Equal(sent, received);
    }
}
