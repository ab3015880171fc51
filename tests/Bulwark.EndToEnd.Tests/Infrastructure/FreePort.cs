using System.Net;
using System.Net.Sockets;

namespace Bulwark.EndToEnd.Tests.Infrastructure;

public static class FreePort
{
    // Below Linux's ephemeral range (32768-60999): no outgoing connection is ever given one of
    // these, so the ports of a node that was killed are still free when it starts again (a CI
    // run saw a restarted node's SMTP port taken by a client socket). Each is handed out once
    // per test run; the start is random so that two runs at once rarely meet.
    private const int First = 20000;
    private const int Last = 32000;
    private static int _next = First + Random.Shared.Next(0, 4000);

    /// <summary>A loopback TCP port, free when it was handed out and not handed out before.</summary>
    public static int Next()
    {
        for (var tries = 0; tries < Last - First; tries++)
        {
            var port = First + (Interlocked.Increment(ref _next) - First) % (Last - First);
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use (another test run, another service): the next one.
            }
        }
        throw new InvalidOperationException($"no free loopback port between {First} and {Last}");
    }
}
