using System.Text;
using Bulwark.Listener.Protocol;

namespace Bulwark.Actors.Tests.Listener;

public sealed class HeaderSectionFilterTests
{
    private static (string Output, int Dropped) Filter(string message)
    {
        var filter = new HeaderSectionFilter("Authentication-Results", value => value.TrimStart().StartsWith("mx.example.test", StringComparison.OrdinalIgnoreCase));
        var sink = new MemoryStream();
        foreach (var line in message.Split("\r\n")[..^1])
            filter.WriteLine(Encoding.UTF8.GetBytes(line), sink);
        filter.Complete(sink);
        return (Encoding.UTF8.GetString(sink.ToArray()), filter.Dropped);
    }

    [Fact]
    public void A_field_claiming_our_id_is_dropped_with_its_continuation_lines()
    {
        var (output, dropped) = Filter("Subject: hi\r\nAuthentication-Results: mx.example.test;\r\n\tspf=pass smtp.mailfrom=a@b.test\r\nFrom: a@b.test\r\n\r\nbody\r\n");
        Assert.Equal("Subject: hi\r\nFrom: a@b.test\r\n\r\nbody\r\n", output);
        Assert.Equal(1, dropped);
    }

    [Fact]
    public void Fields_of_other_servers_and_other_fields_pass_unchanged()
    {
        const string message = "Authentication-Results: other.test; spf=fail\r\nX-Authentication-Results: mx.example.test; x\r\n\r\nAuthentication-Results: mx.example.test; in the body\r\n";
        var (output, dropped) = Filter(message);
        Assert.Equal(message, output);
        Assert.Equal(0, dropped);
    }

    [Fact]
    public void The_field_name_is_matched_without_regard_to_case_and_with_space_before_the_colon()
    {
        var (output, _) = Filter("authentication-results : mx.example.test; spf=pass\r\nSubject: s\r\n\r\nb\r\n");
        Assert.Equal("Subject: s\r\n\r\nb\r\n", output);
    }

    [Fact]
    public void A_field_at_the_very_end_of_a_message_without_a_body_is_still_judged()
    {
        var (output, dropped) = Filter("Subject: s\r\nAuthentication-Results: mx.example.test; spf=pass\r\n");
        Assert.Equal("Subject: s\r\n", output);
        Assert.Equal(1, dropped);
    }

    [Fact]
    public void A_huge_held_field_is_written_out_rather_than_held()
    {
        var continuation = string.Concat(Enumerable.Repeat("\t" + new string('x', 900) + "\r\n", 80));
        var (output, dropped) = Filter("Authentication-Results: mx.example.test;\r\n" + continuation + "\r\nbody\r\n");
        Assert.Equal(0, dropped);
        Assert.StartsWith("Authentication-Results: mx.example.test;\r\n", output);
        Assert.EndsWith("\r\nbody\r\n", output);
    }
}
