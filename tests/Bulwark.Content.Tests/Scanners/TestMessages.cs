using Bulwark.Policy.Content;
using System.Net;
using System.Text;
using Bulwark.Content.Scanners;
using Bulwark.Tests.Shared;

namespace Bulwark.Content.Tests.Scanners;

/// <summary>Messages for the real-scanner tests, CRLF line ends as they arrive over SMTP.</summary>
public static class TestMessages
{
    private const string Headers =
        "From: Alice <alice@example.com>\r\nTo: Bob <bob@example.org>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n" +
        "Message-ID: <{0}@example.com>\r\nMIME-Version: 1.0\r\n";

    public static byte[] Clean => Mail("clean", "Subject: lunch\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" +
        "Hi Bob,\r\n\r\nShall we meet for lunch tomorrow at noon? The usual place.\r\n\r\nAlice\r\n");

    public static byte[] Gtube => Mail("gtube", "Subject: test\r\nContent-Type: text/plain\r\n\r\n" + RspamdServer.Gtube + "\r\n");

    /// <summary>The 68-byte EICAR file alone, not a mail at all.</summary>
    public static byte[] EicarRaw => Encoding.ASCII.GetBytes(ClamdServer.Eicar);

    /// <summary>A plain mail whose body text is the EICAR string.</summary>
    public static byte[] EicarInBody => Mail("eicar-body", "Subject: test\r\nContent-Type: text/plain\r\n\r\n" + ClamdServer.Eicar + "\r\n");

    /// <summary>A multipart mail whose attachment is EICAR in base64; padding makes it span many chunks.</summary>
    public static byte[] EicarAttachment(int paddingBytes = 0) => Mail("eicar", "Subject: invoice\r\n" +
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
        "--b1\r\nContent-Type: text/plain\r\n\r\nSee the attachment.\r\n" + Padding(paddingBytes) + "\r\n" +
        "--b1\r\nContent-Type: application/octet-stream; name=\"eicar.com\"\r\nContent-Transfer-Encoding: base64\r\n" +
        "Content-Disposition: attachment; filename=\"eicar.com\"\r\n\r\n" +
        Convert.ToBase64String(EicarRaw, Base64FormattingOptions.InsertLineBreaks) + "\r\n--b1--\r\n");

    public static ScanContext Context(string spf = "pass") =>
        new("Q" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant(), IPAddress.Parse("192.0.2.10"), "mail.example.com",
            "alice@example.com", ["bob@example.org", "carol@example.org"], spf, "mail.example.com");

    public static Func<Stream> Opener(byte[] message) => () => new MemoryStream(message, writable: false);

    private static byte[] Mail(string id, string rest) => Encoding.ASCII.GetBytes(string.Format(Headers, id) + rest);

    private static string Padding(int bytes)
    {
        var sb = new StringBuilder();
        while (sb.Length < bytes) sb.Append("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\r\n");
        return sb.ToString();
    }
}
