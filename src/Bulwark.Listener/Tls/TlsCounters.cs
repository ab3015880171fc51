namespace Bulwark.Listener.Tls;

/// <summary>Handshake outcomes on this node since start, for tests and the admin view.</summary>
public static class TlsCounters
{
    private static long _succeeded;
    private static long _failed;
    private static long _discardedPlaintextBytes;

    public static long HandshakesSucceeded => Interlocked.Read(ref _succeeded);
    public static long HandshakesFailed => Interlocked.Read(ref _failed);

    /// <summary>Bytes a client pipelined after STARTTLS in plain text and that were thrown away.</summary>
    public static long DiscardedPlaintextBytes => Interlocked.Read(ref _discardedPlaintextBytes);

    internal static void Succeeded() => Interlocked.Increment(ref _succeeded);
    internal static void Failed() => Interlocked.Increment(ref _failed);
    internal static void Discarded(int bytes) => Interlocked.Add(ref _discardedPlaintextBytes, bytes);
}
