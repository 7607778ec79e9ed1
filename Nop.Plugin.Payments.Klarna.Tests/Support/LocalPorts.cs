using System.Net;
using System.Net.Sockets;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// Local ports for the tests
/// </summary>
public static class LocalPorts
{
    /// <summary>
    /// Gets a loopback port nothing listens on (for a listener standing in for the merchant's callback or notification
    /// URL, or an address where a connection is refused)
    /// </summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
