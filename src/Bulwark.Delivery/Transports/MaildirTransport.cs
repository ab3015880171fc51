using Bulwark.Delivery.Spool;

namespace Bulwark.Delivery.Transports;

/// <summary>
/// Delivers into one Maildir per recipient at &lt;root&gt;/&lt;domain&gt;/&lt;localpart&gt;/{tmp,new,cur}.
/// Each copy is written to tmp/, fsynced, renamed into new/, and new/ is fsynced, so a reported
/// Delivered survives a crash. The bytes are stored exactly as spooled (no Return-Path or
/// Delivered-To header is added). An I/O failure defers that recipient.
/// </summary>
public sealed class MaildirTransport : IDeliveryTransport
{
    private readonly string _root;

    public MaildirTransport(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public string Name => "maildir";

    public string Root => _root;

    /// <summary>The Maildir folder of a recipient, or null if the address has no local@domain form.</summary>
    public string? MaildirOf(string recipient) =>
        MaildirNames.Split(recipient) is { } p ? Path.Combine(_root, p.Domain, p.Local) : null;

    public Task<IReadOnlyList<RecipientResult>> DeliverAsync(Envelope envelope, Stream body, CancellationToken cancellationToken) =>
        Task.Run(() => Deliver(envelope, body, cancellationToken), cancellationToken);

    private IReadOnlyList<RecipientResult> Deliver(Envelope envelope, Stream body, CancellationToken ct)
    {
        var results = new List<RecipientResult>(envelope.Recipients.Count);
        using var source = SeekableCopy(body);
        foreach (var rcpt in envelope.Recipients)
        {
            ct.ThrowIfCancellationRequested();
            var dir = MaildirOf(rcpt);
            if (dir is null)
            {
                results.Add(new RecipientResult(rcpt, RecipientOutcome.Failed, "not a local@domain address"));
                continue;
            }
            try
            {
                var file = WriteOne(dir, source);
                results.Add(new RecipientResult(rcpt, RecipientOutcome.Delivered, file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                results.Add(new RecipientResult(rcpt, RecipientOutcome.Deferred, e.Message));
            }
        }
        return results;
    }

    private static string WriteOne(string maildir, Stream source)
    {
        var tmpDir = Path.Combine(maildir, "tmp");
        var newDir = Path.Combine(maildir, "new");
        Directory.CreateDirectory(tmpDir);
        Directory.CreateDirectory(newDir);
        Directory.CreateDirectory(Path.Combine(maildir, "cur"));
        var name = MaildirNames.UniqueName(DateTimeOffset.UtcNow);
        var tmp = Path.Combine(tmpDir, name);
        try
        {
            source.Position = 0;
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
            {
                source.CopyTo(fs);
                fs.Flush(flushToDisk: true);
            }
            var final = Path.Combine(newDir, name);
            File.Move(tmp, final);
            DirectorySync.Fsync(newDir);
            return final;
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>Each recipient reads the body from the start; a stream that cannot seek is first
    /// copied to a temporary file (not memory: bodies may be large).</summary>
    private static Stream SeekableCopy(Stream body)
    {
        if (body.CanSeek) return new NonClosing(body);
        var tmp = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None,
            64 * 1024, FileOptions.DeleteOnClose);
        body.CopyTo(tmp);
        return tmp;
    }

    /// <summary>Lets the using above dispose our own temp copy without closing the caller's stream.</summary>
    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
