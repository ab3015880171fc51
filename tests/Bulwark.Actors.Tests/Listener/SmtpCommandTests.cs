using Bulwark.Listener.Protocol;

namespace Bulwark.Actors.Tests.Listener;

public sealed class SmtpCommandTests
{
    [Theory]
    [InlineData("EHLO client.test", SmtpVerb.Ehlo, "client.test")]
    [InlineData("ehlo   client.test  ", SmtpVerb.Ehlo, "client.test")]
    [InlineData("MAIL FROM:<a@b.test> SIZE=10", SmtpVerb.Mail, "<a@b.test> SIZE=10")]
    [InlineData("mail from: <a@b.test>", SmtpVerb.Mail, "<a@b.test>")]
    [InlineData("RCPT TO:<a@b.test>", SmtpVerb.Rcpt, "<a@b.test>")]
    [InlineData("DATA", SmtpVerb.Data, "")]
    [InlineData("QUIT", SmtpVerb.Quit, "")]
    [InlineData("STARTTLS", SmtpVerb.StartTls, "")]
    [InlineData("AUTH PLAIN xyz", SmtpVerb.Auth, "PLAIN xyz")]
    [InlineData("GET / HTTP/1.1", SmtpVerb.Unknown, "/ HTTP/1.1")]
    [InlineData("", SmtpVerb.Unknown, "")]
    public void Parses_the_verb_and_its_argument(string line, SmtpVerb verb, string argument)
    {
        var command = SmtpCommand.Parse(line);
        Assert.Equal(verb, command.Verb);
        Assert.Equal(argument, command.Argument);
        Assert.False(command.Malformed);
    }

    [Theory]
    [InlineData("MAIL <a@b.test>")]
    [InlineData("RCPT FROM:<a@b.test>")]
    public void MAIL_and_RCPT_without_their_keyword_are_malformed(string line) =>
        Assert.True(SmtpCommand.Parse(line).Malformed);
}
