using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Akka.Actor;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Security;

namespace Backprop.Cluster.Lane;

/// <summary>
/// The parameter server's end of the tensor lane: accepts one connection per worker, checks its hello
/// (job and worker id), gives it a proxy actor that the coordinator uses in place of the worker's Akka
/// address, and delivers the gradients it sends to the parameter server as if they came from that
/// proxy. A connection that says anything else is closed and counted. With TLS, a connection whose
/// peer shows no certificate of the cluster's CA is closed (and counted) before any frame is read.
/// </summary>
public sealed class LaneServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly ActorSystem _system;
    private readonly string _jobId;
    private readonly IActorRef _server;
    private readonly IActorRef _coordinator;
    private readonly int _maxPayload;
    private readonly ClusterTls? _tls;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private long _refused;

    private LaneServer(TcpListener listener, ActorSystem system, string jobId, IActorRef server, IActorRef coordinator, int maxPayload, ClusterTls? tls)
    {
        _tls = tls;
        _listener = listener;
        _system = system;
        _jobId = jobId;
        _server = server;
        _coordinator = coordinator;
        _maxPayload = maxPayload;
        _accepting = AcceptLoopAsync();
    }

    /// <summary>The port the lane listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections closed for sending something other than a hello and the job's gradients in well-formed frames.</summary>
    public long RefusedConnections => Interlocked.Read(ref _refused);

    /// <summary>Listens on <paramref name="host"/>:<paramref name="port"/> (0 for any free port).</summary>
    /// <param name="system">Where the proxy actors live.</param>
    /// <param name="host">The interface.</param>
    /// <param name="port">The port.</param>
    /// <param name="jobId">The job whose workers may connect.</param>
    /// <param name="server">The parameter server the gradients go to.</param>
    /// <param name="coordinator">Told of every connection and loss.</param>
    /// <param name="maxPayload">The largest frame accepted.</param>
    /// <param name="tls">Mutual TLS for every connection; null for plain TCP.</param>
    public static LaneServer Start(ActorSystem system, string host, int port, string jobId, IActorRef server, IActorRef coordinator, int maxPayload, ClusterTls? tls = null)
    {
        var address = host is "0.0.0.0" or "" ? IPAddress.Any : IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host)[0];
        var listener = new TcpListener(address, port);
        listener.Start();
        return new LaneServer(listener, system, jobId, server, coordinator, maxPayload, tls);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the point.
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        string peer = socket.RemoteEndPoint?.ToString() ?? "a worker";
        Stream? stream = null;
        if (_tls is not null && (stream = await SecureAsync(socket).ConfigureAwait(false)) is null)
        {
            Interlocked.Increment(ref _refused);
            socket.Dispose();
            return;
        }

        var connection = new LaneConnection(socket, peer, _maxPayload, stream);
        await using (connection.ConfigureAwait(false))
        {
            (string JobId, string WorkerId)? hello;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                var payload = await connection.ReceiveControlAsync(LaneFrame.Hello, timeout.Token).ConfigureAwait(false);
                hello = payload is null ? null : LaneFrame.ParseHello(payload);
                if (hello is not { } h || h.JobId != _jobId)
                {
                    Interlocked.Increment(ref _refused);
                    return;
                }

                await connection.SendControlAsync(LaneFrame.Welcome, ReadOnlyMemory<byte>.Empty, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or EndOfStreamException)
            {
                Interlocked.Increment(ref _refused);
                return;
            }

            string workerId = hello.Value.WorkerId;
            var proxy = new LaneActorRef(_system, connection, $"lane-{Guid.NewGuid():N}");
            _coordinator.Tell(new LaneEvents.Connected(workerId, proxy));
            var ending = await connection.RunAsync(message =>
            {
                if (message is ParameterServerProtocol.Gradient gradient && gradient.JobId == _jobId)
                {
                    _server.Tell(gradient, proxy);
                    return true;
                }

                return false;
            }).ConfigureAwait(false);
            if (ending.ByPeerFault)
            {
                Interlocked.Increment(ref _refused);
            }

            _coordinator.Tell(new LaneEvents.Lost(workerId, ending.Reason));
        }
    }

    /// <summary>The TLS handshake, with the peer's certificate checked; null if it failed or took over 5 s.</summary>
    private async Task<SslStream?> SecureAsync(Socket socket)
    {
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await ssl.AuthenticateAsServerAsync(_tls!.ServerOptions(), timeout.Token).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or SocketException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }
}
