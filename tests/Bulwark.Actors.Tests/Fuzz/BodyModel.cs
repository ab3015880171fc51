using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Actors.Tests.Fuzz;

/// <summary>
/// An independent model of the DATA reader's contract, written from RFC 5321 and the design
/// (not from the reader's code): the body ends at the first "." line preceded by CRLF; each
/// line that does not end in CRLF is a bare LF, a CR inside a line is a bare CR; lines over
/// the limit and an over-size body are faults; any fault refuses the message.
/// </summary>
public static class BodyModel
{
    private static readonly byte[] RealEnd = "\r\n.\r\n"u8.ToArray();

    /// <summary>The bytes to send after the 354: <paramref name="body"/> with any real end of
    /// data inside it defused (its dot doubled, which keeps the fake ends around it) and the
    /// real end appended.</summary>
    public static byte[] Terminate(byte[] body)
    {
        var bytes = new List<byte>(body);
        while (EndOf([.. bytes, .. RealEnd]) is var end && end < bytes.Count)
            bytes.Insert(end, (byte)'.');
        bytes.AddRange(RealEnd);
        return bytes.ToArray();
    }

    /// <summary>Index of the "." of the first real end of data (start of body counts as after a CRLF), or -1.</summary>
    public static int EndOf(IReadOnlyList<byte> stream)
    {
        var afterCrLf = true;
        var lineStart = 0;
        for (var i = 0; i < stream.Count; i++)
        {
            if (stream[i] != '\n') continue;
            var length = i + 1 - lineStart;
            if (afterCrLf && length == 3 && stream[lineStart] == '.' && stream[lineStart + 1] == '\r') return lineStart;
            afterCrLf = length >= 2 && stream[i - 1] == '\r';
            lineStart = i + 1;
        }
        return -1;
    }

    /// <summary>The faults a terminated stream must produce (the stream ends with the real end).</summary>
    public static DataFaults Faults(byte[] terminated, SessionLimits limits)
    {
        var faults = DataFaults.None;
        long written = 0;
        var end = EndOf(terminated);
        var lineStart = 0;
        for (var i = 0; i < end; i++)
        {
            if (terminated[i] != '\n') continue;
            var properEnd = i > lineStart && terminated[i - 1] == '\r';
            var content = terminated.AsSpan(lineStart, i - lineStart - (properEnd ? 1 : 0));
            if (!properEnd) faults |= DataFaults.BareLineFeed;
            if (content.Contains((byte)'\r')) faults |= DataFaults.BareCarriageReturn;
            if (content.Contains((byte)0)) faults |= DataFaults.Nul;
            var unstuffed = content.Length > 0 && content[0] == '.' ? content.Length - 1 : content.Length;
            if (unstuffed > limits.MaxDataLineBytes) faults |= DataFaults.LineTooLong;
            if (faults == DataFaults.None && (written += unstuffed + 2) > limits.MaxMessageBytes) faults |= DataFaults.TooLarge;
            lineStart = i + 1;
        }
        return faults;
    }

    public static bool HasBareLineEndOrNul(DataFaults faults) =>
        (faults & (DataFaults.BareCarriageReturn | DataFaults.BareLineFeed | DataFaults.Nul)) != 0;

    /// <summary>The reply the design's table gives for these faults; null for an accept (250 queued as ...).</summary>
    public static SmtpReply? ExpectedRefusal(DataFaults faults) =>
        faults.HasFlag(DataFaults.TooLarge) ? Replies.MessageTooLarge
        : faults.HasFlag(DataFaults.Nul) ? Replies.NulInMessage
        : HasBareLineEndOrNul(faults) ? Replies.BareLineEnd
        : faults.HasFlag(DataFaults.LineTooLong) ? Replies.LineTooLongData
        : null;
}
