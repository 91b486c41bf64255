using System.Net.Security;
using System.Net.Sockets;
using Akka.Actor;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Security;

namespace Backprop.Cluster.Lane;

/// <summary>
/// A worker's end of the tensor lane: connects, says hello, and delivers the weights that come down
/// to the worker actor as if sent by a local proxy of the parameter server, to which the worker's
/// gradients are then told. When the connection ends the worker is told, and reconnects.
/// </summary>
public static class LaneClient
{
    /// <summary>Connects and starts the lane; returns the proxy of the parameter server.</summary>
    /// <param name="system">Where the proxy lives.</param>
    /// <param name="host">The lane's host.</param>
    /// <param name="port">The lane's port.</param>
    /// <param name="jobId">The job.</param>
    /// <param name="workerId">This worker.</param>
    /// <param name="worker">The worker actor the weights go to.</param>
    /// <param name="maxPayload">The largest frame accepted.</param>
    /// <param name="tls">Mutual TLS; null for plain TCP.</param>
    public static async Task<IActorRef> ConnectAsync(ActorSystem system, string host, int port, string jobId, string workerId, IActorRef worker, int maxPayload, ClusterTls? tls = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        SslStream? ssl = null;
        if (tls is not null)
        {
            ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
            try
            {
                await ssl.AuthenticateAsClientAsync(tls.ClientOptions(host), timeout.Token).ConfigureAwait(false);
            }
            catch
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        var connection = new LaneConnection(socket, $"{host}:{port}", maxPayload, ssl);
        try
        {
            await connection.SendControlAsync(LaneFrame.Hello, LaneFrame.HelloPayload(jobId, workerId), timeout.Token).ConfigureAwait(false);
            if (await connection.ReceiveControlAsync(LaneFrame.Welcome, timeout.Token).ConfigureAwait(false) is null)
            {
                throw new IOException($"the tensor lane at {host}:{port} did not welcome this worker (another job?).");
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var proxy = new LaneActorRef(system, connection, $"lane-{Guid.NewGuid():N}");
        _ = Task.Run(async () =>
        {
            await using (connection.ConfigureAwait(false))
            {
                var ending = await connection.RunAsync(message =>
                {
                    if (message is ParameterServerProtocol.Weights weights && weights.JobId == jobId)
                    {
                        worker.Tell(weights, proxy);
                        return true;
                    }

                    return false;
                }).ConfigureAwait(false);
                worker.Tell(new LaneEvents.Lost(workerId, ending.Reason, $"{host}:{port}"));
            }
        });
        return proxy;
    }
}
