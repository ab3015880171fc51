using Bulwark.Policy.Sessions;

namespace Bulwark.Listener.Protocol;

public sealed partial class SmtpWire
{
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();

    /// <summary>
    /// Reads a DATA body up to the line "." alone, unstuffing leading dots (the first line
    /// too). Only CRLF "." CRLF ends the body: a dot framed by a bare LF or bare CR on either side is ordinary
    /// content, so no smuggled second transaction can start inside it. Bare CR, bare LF, NUL,
    /// over-long lines and an over-size body are recorded as faults; from the first fault on
    /// nothing more is written to <paramref name="sink"/>, but the body is still read to its
    /// end so the dialogue stays in step.
    /// </summary>
    /// <param name="readTimeout">Longest wait for the next piece of the body (RFC 5321's DATA block
    /// timeout); <paramref name="cancellationToken"/> bounds the whole body.</param>
    /// <param name="headers">Optional filter of the header section (forged Authentication-Results).</param>
    public async ValueTask<DataOutcome> ReadDataAsync(Stream sink, SessionLimits limits, TimeSpan readTimeout,
        CancellationToken cancellationToken, HeaderSectionFilter? headers = null)
    {
        using var perRead = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var faults = DataFaults.None;
        long written = 0;
        var atLineStart = true;
        // "." ends the body only after a CRLF: after a bare LF it is the classic smuggling trick.
        var afterCrLf = true;
        var lineLength = 0;
        while (true)
        {
            var window = Pending;
            var lf = window.IndexOf((byte)'\n');
            if (lf < 0 && _start == 0 && _end == InputBufferBytes)
            {
                // A buffer-full of text with no line end: certainly too long; keep scanning. A CR
                // in the last byte is kept back: its LF may come first in the next read, and that
                // CRLF must still count as one, or the CRLF "." CRLF after it is not seen as the end.
                var taken = window[^1] == '\r' ? window[..^1] : window;
                faults |= DataFaults.LineTooLong | ScanFaults(taken);
                _start += taken.Length;
                if (atLineStart && taken[0] == '.') taken = taken[1..];
                lineLength += taken.Length;
                atLineStart = false;
                afterCrLf = false;
            }
            else if (lf >= 0)
            {
                var segment = window[..(lf + 1)];
                _start += lf + 1;
                if (atLineStart && afterCrLf && segment.SequenceEqual(".\r\n"u8))
                {
                    if (faults == DataFaults.None) headers?.Complete(sink);
                    return new DataOutcome(faults, written, Completed: true);
                }

                var properEnd = segment.Length >= 2 && segment[^2] == '\r';
                var content = segment[..^(properEnd ? 2 : 1)];
                if (!properEnd) faults |= DataFaults.BareLineFeed;
                faults |= ScanFaults(content);
                if (atLineStart && content.Length > 0 && content[0] == '.') content = content[1..];
                lineLength += content.Length;
                if (lineLength > limits.MaxDataLineBytes) faults |= DataFaults.LineTooLong;

                if (faults == DataFaults.None)
                {
                    written += content.Length + 2;
                    if (written > limits.MaxMessageBytes)
                        faults |= DataFaults.TooLarge;
                    else if (headers is not null)
                        headers.WriteLine(content, sink);
                    else
                    {
                        sink.Write(content);
                        sink.Write(LineEnd);
                    }
                }
                atLineStart = true;
                afterCrLf = properEnd;
                lineLength = 0;
                continue;
            }
            // Re-arming the same timer for each read keeps a slow-dripping client from holding the
            // session past the block timeout, without a new timer per read.
            perRead.CancelAfter(readTimeout);
            if (!await FillAsync(perRead.Token).ConfigureAwait(false))
                return new DataOutcome(faults, written, Completed: false);
        }
    }

    private static DataFaults ScanFaults(ReadOnlySpan<byte> content)
    {
        var faults = DataFaults.None;
        if (content.IndexOf((byte)'\r') >= 0) faults |= DataFaults.BareCarriageReturn;
        if (content.IndexOf((byte)0) >= 0) faults |= DataFaults.Nul;
        return faults;
    }
}
