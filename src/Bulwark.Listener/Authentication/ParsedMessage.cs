using MimeKit;

namespace Bulwark.Listener.Authentication;

/// <summary>
/// The stored message parsed once for every end-of-DATA check that reads its structure (From,
/// DKIM, ARC): parsing is the costly part, and each check would otherwise repeat it. Persistent:
/// the parts stay in the spool file and are read from it, so a large message is not held in
/// memory; the file stays open until <see cref="Dispose"/>.
/// </summary>
public sealed class ParsedMessage : IDisposable
{
    private readonly Stream _stored;

    private ParsedMessage(Func<Stream> source, Stream stored, MimeMessage message)
    {
        Source = source;
        _stored = stored;
        Message = message;
    }

    /// <summary>What the message was opened with: the same opener means the same message.</summary>
    public Func<Stream> Source { get; }

    public MimeMessage Message { get; }

    public static async Task<ParsedMessage> LoadAsync(Func<Stream> open, CancellationToken cancellationToken = default)
    {
        var stored = open();
        try
        {
            return new ParsedMessage(open, stored, await MimeMessage.LoadAsync(ParserOptions.Default, stored, persistent: true, cancellationToken));
        }
        catch
        {
            await stored.DisposeAsync();
            throw;
        }
    }

    public void Dispose()
    {
        Message.Dispose();
        _stored.Dispose();
    }
}
