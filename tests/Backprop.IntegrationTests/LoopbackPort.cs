using System.Net;
using System.Net.Sockets;

namespace Backprop.IntegrationTests;

/// <summary>Ports for the processes a test starts on loopback.</summary>
internal static class LoopbackPort
{
    /// <summary>A port free now (the kernel's pick, released at once).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A free port below Linux's ephemeral range (32768 and up by default), for a listener that must
    /// be started again on the same port: while it is down, a peer's connection attempts to an
    /// ephemeral port can be given that very port as their source and connect to themselves,
    /// occupying it.
    /// </summary>
    public static int FreeBelowEphemeral()
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException("No free port between 20000 and 32000 on loopback.");
    }
}
