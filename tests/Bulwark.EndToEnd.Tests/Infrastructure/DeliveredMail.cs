using System.Text;

namespace Bulwark.EndToEnd.Tests.Infrastructure;

/// <summary>Reads what a node delivered to its Maildir, the way the next hop would read it.</summary>
public static class DeliveredMail
{
    /// <summary>The first message in user's Maildir whose text contains <paramref name="marker"/>,
    /// waiting up to 20 s for delivery.</summary>
    public static async Task<string> WaitAsync(BulwarkNode node, string user, string marker, string domain = "example.test")
    {
        var inbox = Path.Combine(node.DataDirectory, "maildir", domain, user, "new");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(inbox))
                foreach (var file in Directory.GetFiles(inbox))
                {
                    var text = await File.ReadAllTextAsync(file);
                    if (text.Contains(marker)) return text;
                }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no message '{marker}' in {inbox}");
    }

    /// <summary>Every Authentication-Results field of the message as MimeKit parses it, one per
    /// line, each result written "method=result ptype.property=value (comment)": the facts of the
    /// field, whatever quoting and folding the writer chose (RFC 8601 allows several).</summary>
    public static string AuthenticationResults(string message)
    {
        var parsed = MimeKit.MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(message)));
        var lines = parsed.Headers.Where(h => h.Field == "Authentication-Results").Select(h =>
        {
            Assert.True(MimeKit.Cryptography.AuthenticationResults.TryParse(h.RawValue, out var results), h.Value);
            return "Authentication-Results: " + results.AuthenticationServiceIdentifier + "; " + string.Join("; ", results.Results.Select(r =>
                $"{r.Method}={r.Result}" + string.Concat(r.Properties.Select(p => $" {p.PropertyType}.{p.Property}={p.Value}")) +
                (r.ResultComment is { } comment ? $" ({comment})" : "")));
        });
        return string.Join("\n", lines);
    }
}
