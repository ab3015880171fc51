using System.Text;
using Bulwark.Listener.Protocol;
using Bulwark.Policy.Sessions;

namespace Bulwark.Actors.Tests.Fuzz;

/// <summary>One connection's input, batch by batch. A batch is what the client pipelines
/// before it reads the replies: server-side lines (each ending in LF, as the server splits
/// them) that stop right after a line the server will read as DATA, because what follows a
/// 354 is body, not commands.</summary>
public sealed class FuzzScript(Random random, SessionLimits limits)
{
    private readonly Random _r = random;
    private readonly CommandGenerator _commands = new(random);
    private readonly Mutator _mutator = new(random);
    private readonly List<byte> _pending = new();

    public BodyGenerator Bodies { get; } = new(random);
    public int Mutated { get; private set; }

    /// <summary>Bytes of a line whose end (a lone CR) has not come yet; they lead the next line.</summary>
    public byte[] Unterminated => _pending.ToArray();

    public List<byte[]> NextBatch(bool transactional)
    {
        var lines = new List<byte[]>();
        if (transactional)
        {
            if (_r.Next(3) == 0) lines.Add(Maybe(_commands.Valid("EHLO")));
            lines.Add(Maybe(_commands.Valid("MAIL")));
            for (var i = 1 + CommandGenerator.Weighted(_r, 6, 2, 1, 1); i > 0; i--) lines.Add(Maybe(_commands.Valid("RCPT")));
            lines.Add(Maybe(_commands.Valid("DATA")));
        }
        else
        {
            for (var i = 1 + _r.Next(24); i > 0; i--)
            {
                lines.Add(CommandGenerator.Weighted(_r, 6, 3, 2) switch
                {
                    0 => _commands.Line(),
                    1 => Mutate(Encoding.UTF8.GetBytes(_commands.Valid(RandomVerb()))),
                    _ => Encoding.UTF8.GetBytes(_commands.Valid(RandomVerb())),
                });
            }
        }
        var batch = new List<byte[]>();
        foreach (var line in lines)
        {
            _pending.AddRange(line);
            _pending.AddRange(Ending());
            int lf;
            while ((lf = _pending.IndexOf((byte)'\n')) >= 0)
            {
                var segment = _pending.GetRange(0, lf + 1).ToArray();
                _pending.RemoveRange(0, lf + 1);
                batch.Add(segment);
                if (Verb(segment, limits) == SmtpVerb.Data)
                {
                    // What followed the DATA in this line belongs to no command: drop it.
                    _pending.Clear();
                    return batch;
                }
            }
        }
        return batch;
    }

    private string RandomVerb() => _r.Next(10) switch
    {
        0 => "EHLO", 1 => "HELO", 2 or 3 => "MAIL", 4 or 5 => "RCPT", 6 => "RSET", 7 => "NOOP", 8 => "VRFY", _ => "HELP",
    };

    private byte[] Maybe(string valid) =>
        _r.Next(10) == 0 ? Mutate(Encoding.UTF8.GetBytes(valid)) : Encoding.UTF8.GetBytes(valid);

    private byte[] Mutate(byte[] line)
    {
        Mutated++;
        return _mutator.Mutate(line, Encoding.UTF8.GetBytes(_commands.Valid(RandomVerb())));
    }

    private byte[] Ending() => CommandGenerator.Weighted(_r, 90, 5, 2, 3) switch
    {
        0 => "\r\n"u8.ToArray(),
        1 => "\n"u8.ToArray(),
        2 => "\r"u8.ToArray(),
        _ => "\r\r\n"u8.ToArray(),
    };

    public static bool TooLong(byte[] segment, SessionLimits limits) => segment.Length > limits.MaxCommandLineBytes;

    /// <summary>How the server will read this segment: too long lines are no command at all.</summary>
    public static SmtpVerb? Verb(byte[] segment, SessionLimits limits)
    {
        if (TooLong(segment, limits)) return null;
        var content = segment.AsSpan(0, segment.Length - 1);
        if (content.Length > 0 && content[^1] == '\r') content = content[..^1];
        return SmtpCommand.Parse(Encoding.UTF8.GetString(content)).Verb;
    }
}
