using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.Cluster;
using Backprop.Cluster.Hosting;

namespace Backprop.Cluster.Tests.Security;

/// <summary>
/// Akka.Remote with mutual TLS between real nodes on loopback: a node whose certificate is not of the
/// cluster's CA (another CA's, an expired one) or that speaks no TLS never becomes a member, and
/// bytes that are not TLS at all do not bring the node down; a member still joins afterwards.
/// </summary>
public sealed class TlsMembershipTests
{
    private static readonly TimeSpan Refusal = TimeSpan.FromSeconds(6);

    [Theory]
    [InlineData("another CA")]
    [InlineData("expired")]
    [InlineData("no TLS")]
    public async Task A_node_the_cluster_does_not_admit_should_never_become_a_member(string which)
    {
        using var coordinatorTls = TestCertificates.Tls(TestCertificates.Member("coordinator"));
        await using var coordinator = await ClusterNode.StartAsync(new NodeOptions("coordinator", Tls: coordinatorTls), _ => { });
        using var intruderTls = which switch
        {
            "another CA" => TestCertificates.Tls(TestCertificates.Stranger()),
            "expired" => TestCertificates.Tls(TestCertificates.Expired()),
            _ => null,
        };

        // A node without TLS is told the address as it would spell it (akka.tcp) and gets nowhere.
        await using (var intruder = await ClusterNode.StartAsync(new NodeOptions("worker", Join: Join(coordinator), Tls: intruderTls), _ => { }))
        {
            await Task.Delay(Refusal);
            Assert.Equal([coordinator.Address], Members(coordinator));
            Assert.DoesNotContain(Akka.Cluster.Cluster.Get(intruder.System).State.Members, m => m.Address.Equals(coordinator.Address) && m.Status == MemberStatus.Up);
        }

        await AssertMemberJoinsAsync(coordinator);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: coordinator\r\n\r\n")]
    [InlineData("\u0000\u0000\u0000\u0010not an akka frame and not TLS")]
    public async Task Plain_bytes_sent_to_a_TLS_node_should_leave_it_serving_members(string text)
    {
        using var coordinatorTls = TestCertificates.Tls(TestCertificates.Member("coordinator"));
        await using var coordinator = await ClusterNode.StartAsync(new NodeOptions("coordinator", Tls: coordinatorTls), _ => { });
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", coordinator.Address.Port!.Value);
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(text));
            await Task.Delay(500);
        }

        Assert.Equal([coordinator.Address], Members(coordinator));
        await AssertMemberJoinsAsync(coordinator);
    }

    private static async Task AssertMemberJoinsAsync(ClusterNode coordinator)
    {
        using var memberTls = TestCertificates.Tls(TestCertificates.Member("worker"));
        await using var member = await ClusterNode.StartAsync(new NodeOptions("worker", Join: Join(coordinator), Tls: memberTls), _ => { });
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!Members(coordinator).Contains(member.Address))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the member never joined; members: {string.Join(", ", Members(coordinator))}");
            await Task.Delay(100);
        }
    }

    private static string Join(ClusterNode node) => $"127.0.0.1:{node.Address.Port}";

    private static List<Address> Members(ClusterNode node) => [.. Akka.Cluster.Cluster.Get(node.System).State.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address)];
}
