namespace Bulwark.Policy.Addressing;

/// <summary>
/// An RFC 5321 mailbox. <see cref="LocalPart"/> is as it appears unquoted (quotes removed,
/// quoted-pairs unescaped); <see cref="Domain"/> is lower-cased, address literals kept in brackets
/// ("[192.0.2.1]", "[IPv6:2001:db8::1]"). The domain is empty only for the bare "&lt;Postmaster&gt;"
/// recipient that RFC 5321 4.1.1.3 allows.
/// </summary>
public sealed record Mailbox(string LocalPart, string Domain)
{
    // Address is derived from the other two; the init accessors recompute it so that a
    // `with { Domain = ... }` copy never carries a stale address (and equality stays consistent).
    public string LocalPart { get; init { field = value; Address = Compose(value, Domain); } } = LocalPart;

    public string Domain { get; init { field = value; Address = Compose(LocalPart, value); } } = Domain;

    /// <summary>local@domain for the wire, the local part re-quoted only if it is not a dot-string.</summary>
    public string Address { get; private set; } = Compose(LocalPart, Domain);

    public override string ToString() => Address;

    private static string Compose(string? local, string? domain)
    {
        local ??= "";
        domain ??= "";
        var wireLocal = CharClass.IsDotString(local) ? local : Quote(local);
        return domain.Length == 0 ? wireLocal : string.Concat(wireLocal, "@", domain);
    }

    private static string Quote(string local)
    {
        var escapes = 0;
        foreach (var c in local)
            if (c is '"' or '\\') escapes++;
        return string.Create(local.Length + escapes + 2, local, static (dest, src) =>
        {
            var j = 0;
            dest[j++] = '"';
            foreach (var c in src)
            {
                if (c is '"' or '\\') dest[j++] = '\\';
                dest[j++] = c;
            }
            dest[j] = '"';
        });
    }
}
