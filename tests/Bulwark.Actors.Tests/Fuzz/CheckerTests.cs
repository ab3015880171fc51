using Bulwark.Policy.Sessions;

namespace Bulwark.Actors.Tests.Fuzz;

/// <summary>The fuzz oracles themselves: a checker that accepts everything would make a
/// million passing lines worthless.</summary>
public sealed class CheckerTests
{
    [Theory]
    [InlineData("250 2.0.0 OK\r", null)]
    [InlineData("250-mx.test greets x\r", null)]
    [InlineData("220 mx.test ESMTP Bulwark\r", null)]
    [InlineData("421 4.7.0 too many errors\r", null)]
    [InlineData("250 OK", "line not ended by CRLF")]
    [InlineData("550 no such user\r", "4xx/5xx without an enhanced status code")]
    [InlineData("451 5.3.0 mixed\r", "enhanced code class 5 on a 451")]
    [InlineData("199 too low\r", "no 2xx-5xx code")]
    [InlineData("25 short\r", "no 2xx-5xx code")]
    [InlineData("250 a\rb\r", "control byte 0x0D inside the reply")]
    [InlineData("250 a\0b\r", "control byte 0x00 inside the reply")]
    public void Reply_lines_are_judged_by_their_form(string line, string? problem) =>
        Assert.Equal(problem, ReplyChecks.Check(System.Text.Encoding.Latin1.GetBytes(line), null));

    [Fact]
    public void A_continuation_must_keep_its_code() =>
        Assert.Equal("continuation of 250 has code 251", ReplyChecks.Check("251 x\r"u8, "250"));

    [Fact]
    public void A_real_end_inside_a_body_is_defused_and_the_real_end_appended()
    {
        var stream = BodyModel.Terminate("a\r\n.\r\nMAIL FROM:<x@y>\r\n"u8.ToArray());
        Assert.Equal("a\r\n..\r\nMAIL FROM:<x@y>\r\n\r\n.\r\n"u8.ToArray(), stream);
        Assert.Equal(stream.Length - 3, BodyModel.EndOf(stream));
        // A body whose first line is "." would end at once: its dot is doubled too.
        Assert.Equal("..\r\n\r\n.\r\n"u8.ToArray(), BodyModel.Terminate(".\r\n"u8.ToArray()));
    }

    [Theory]
    [InlineData("a\r\nb\r\n", DataFaults.None)]
    [InlineData("a\nb\r\n", DataFaults.BareLineFeed)]
    [InlineData("a\rb\r\n", DataFaults.BareCarriageReturn)]
    [InlineData("a\0b\r\n", DataFaults.Nul)]
    [InlineData("a\n.\nb\r\n", DataFaults.BareLineFeed)]
    public void The_body_model_finds_the_faults(string body, DataFaults faults) =>
        Assert.Equal(faults, BodyModel.Faults(BodyModel.Terminate(System.Text.Encoding.Latin1.GetBytes(body)), new SessionLimits()));

    [Fact]
    public void The_body_model_counts_line_length_after_unstuffing_and_the_size_limit()
    {
        var limits = new SessionLimits { MaxMessageBytes = 10 };
        Assert.Equal(DataFaults.None, BodyModel.Faults(BodyModel.Terminate(System.Text.Encoding.Latin1.GetBytes("." + new string('y', 998))), new SessionLimits()));
        Assert.Equal(DataFaults.LineTooLong, BodyModel.Faults(BodyModel.Terminate(System.Text.Encoding.Latin1.GetBytes(new string('y', 999))), new SessionLimits()));
        Assert.Equal(DataFaults.TooLarge, BodyModel.Faults(BodyModel.Terminate("0123456789\r\n"u8.ToArray()), limits));
    }
}
