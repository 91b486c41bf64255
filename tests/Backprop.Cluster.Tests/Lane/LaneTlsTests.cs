using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Backprop.Cluster.Lane;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Security;
using Backprop.Cluster.Tests.Security;
using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Tests.Lane;

/// <summary>
/// The tensor lane with mutual TLS: members get through, and a peer without a certificate of the
/// cluster's CA — another CA's, an expired one, none, or no TLS at all — is closed and counted
/// before a frame is read, while the lane keeps serving members.
/// </summary>
public sealed class LaneTlsTests : TestKit
{
    private const string Job = "job-tls";
    private const int MaxPayload = 1 << 20;

    public LaneTlsTests()
        : base(ClusterTestConfig.Hocon)
    {
    }

    [Fact]
    public async Task A_member_should_connect_and_gradients_should_arrive()
    {
        var server = CreateTestProbe();
        var coordinator = CreateTestProbe();
        using var serverTls = TestCertificates.Tls(TestCertificates.Member("coordinator"));
        using var workerTls = TestCertificates.Tls(TestCertificates.Member("worker"));
        await using var lane = LaneServer.Start(Sys, "127.0.0.1", 0, Job, server.Ref, coordinator.Ref, MaxPayload, serverTls);

        var proxy = await LaneClient.ConnectAsync(Sys, "127.0.0.1", lane.Port, Job, "w-1", CreateTestProbe().Ref, MaxPayload, workerTls);
        Assert.Equal("w-1", coordinator.ExpectMsg<LaneEvents.Connected>().WorkerId);
        var values = Enumerable.Range(0, 1000).Select(i => (float)i).ToArray();
        proxy.Tell(new ParameterServerProtocol.Gradient(Job, 0, 0, 4, 1.0, 2, TensorSlice.Copy(values.Length, 0, values)), ActorRefs.NoSender);

        var gradient = server.ExpectMsg<ParameterServerProtocol.Gradient>();
        Assert.Equal(values, gradient.Slice.Values.ToArray());
        gradient.Slice.Release();
        Assert.Equal(0, lane.RefusedConnections);
    }

    [Theory]
    [InlineData("another CA")]
    [InlineData("expired")]
    public async Task A_worker_whose_certificate_the_cluster_does_not_admit_should_be_refused(string which)
    {
        var coordinator = CreateTestProbe();
        using var serverTls = TestCertificates.Tls(TestCertificates.Member("coordinator"));
        using var intruderTls = TestCertificates.Tls(which == "expired" ? TestCertificates.Expired() : TestCertificates.Stranger());
        await using var lane = LaneServer.Start(Sys, "127.0.0.1", 0, Job, CreateTestProbe().Ref, coordinator.Ref, MaxPayload, serverTls);

        await Assert.ThrowsAnyAsync<Exception>(() => LaneClient.ConnectAsync(Sys, "127.0.0.1", lane.Port, Job, "intruder", CreateTestProbe().Ref, MaxPayload, intruderTls));

        AwaitCondition(() => lane.RefusedConnections == 1);
        coordinator.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        await AssertStillServesMembersAsync(lane, coordinator);
    }

    [Fact]
    public async Task A_TLS_client_without_a_certificate_should_be_refused()
    {
        var coordinator = CreateTestProbe();
        using var serverTls = TestCertificates.Tls(TestCertificates.Member("coordinator"));
        await using var lane = LaneServer.Start(Sys, "127.0.0.1", 0, Job, CreateTestProbe().Ref, coordinator.Ref, MaxPayload, serverTls);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", lane.Port);
        await using var ssl = new SslStream(client.GetStream());

        // It trusts the cluster's CA but shows no certificate of its own.
        var refused = await Record.ExceptionAsync(async () =>
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                RemoteCertificateValidationCallback = (_, certificate, _, _) => ClusterTls.Validate(TestCertificates.Authority, certificate) is null,
            });
            await ssl.WriteAsync(RawLaneFrames.Frame(LaneFrame.Hello, LaneFrame.HelloPayload(Job, "anonymous")));
            Assert.Equal(0, await ssl.ReadAsync(new byte[16]));
        });

        Assert.True(refused is null or AuthenticationException or IOException, refused?.ToString());
        AwaitCondition(() => lane.RefusedConnections == 1);
        coordinator.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        await AssertStillServesMembersAsync(lane, coordinator);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("BL\u0001\u0000garbage that is not a TLS hello")]
    public async Task Plain_bytes_sent_to_a_TLS_lane_should_be_closed_counted_and_harmless(string text)
    {
        var coordinator = CreateTestProbe();
        using var serverTls = TestCertificates.Tls(TestCertificates.Member("coordinator"));
        await using var lane = LaneServer.Start(Sys, "127.0.0.1", 0, Job, CreateTestProbe().Ref, coordinator.Ref, MaxPayload, serverTls);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", lane.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
            await ReadToEndAsync(stream);
        }

        AwaitCondition(() => lane.RefusedConnections == 1);
        coordinator.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        await AssertStillServesMembersAsync(lane, coordinator);
    }

    private async Task AssertStillServesMembersAsync(LaneServer lane, Akka.TestKit.TestProbe coordinator)
    {
        using var memberTls = TestCertificates.Tls(TestCertificates.Member("worker"));
        await LaneClient.ConnectAsync(Sys, "127.0.0.1", lane.Port, Job, "member", CreateTestProbe().Ref, MaxPayload, memberTls);
        Assert.Equal("member", coordinator.ExpectMsg<LaneEvents.Connected>().WorkerId);
    }

    /// <summary>Reads until the server closes (it may answer with a TLS alert first, or reset the connection).</summary>
    private static async Task ReadToEndAsync(NetworkStream stream)
    {
        var buffer = new byte[1024];
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // A reset is a close too.
        }
    }
}
