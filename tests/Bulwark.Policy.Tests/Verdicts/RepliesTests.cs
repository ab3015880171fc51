using System.Reflection;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Tests.Verdicts;

public sealed class RepliesTests
{
    public static IEnumerable<object[]> AllReplies() =>
        typeof(Replies).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => new object[] { f.Name, (SmtpReply)f.GetValue(null)! });

    [Theory]
    [MemberData(nameof(AllReplies))]
    public void Every_reply_but_354_carries_an_enhanced_code_of_its_class(string name, SmtpReply reply)
    {
        if (reply.Code == 354)
        {
            Assert.Equal("", reply.EnhancedCode);
            return;
        }
        Assert.Matches(@"^[245]\.\d{1,3}\.\d{1,3}$", reply.EnhancedCode);
        Assert.True(reply.EnhancedCode[0] == reply.Code.ToString()[0], $"{name}: {reply}");
        Assert.False(string.IsNullOrWhiteSpace(reply.Reason), name);
    }

    [Fact]
    public void The_wire_form_is_exactly_code_enhanced_code_and_reason() =>
        Assert.Equal("550 5.1.1 no such user here", Replies.UnknownRecipient.ToWire());

    [Theory]
    [InlineData(250, VerdictKind.Accept)]
    [InlineData(451, VerdictKind.DenySoft)]
    [InlineData(550, VerdictKind.Deny)]
    public void Refuse_picks_the_kind_from_the_code(int code, VerdictKind expected)
    {
        var verdict = code < 400 ? Verdict.Accept(new SmtpReply(code, "2.0.0", "ok"), "t") : Verdict.Refuse(new SmtpReply(code, $"{code / 100}.0.0", "no"), "t");
        Assert.Equal(expected, verdict.Kind);
    }

    [Fact]
    public void The_design_table_codes_are_what_the_replies_say()
    {
        Assert.Equal("421 4.7.0", $"{Replies.Blocked.Code} {Replies.Blocked.EnhancedCode}");
        Assert.Equal("550 5.7.1", $"{Replies.RelayDenied.Code} {Replies.RelayDenied.EnhancedCode}");
        Assert.Equal("550 5.1.1", $"{Replies.UnknownRecipient.Code} {Replies.UnknownRecipient.EnhancedCode}");
        Assert.Equal("452 4.5.3", $"{Replies.TooManyRecipients.Code} {Replies.TooManyRecipients.EnhancedCode}");
        Assert.Equal("451 4.3.0", $"{Replies.TemporaryFailure.Code} {Replies.TemporaryFailure.EnhancedCode}");
        Assert.Equal("552 5.3.4", $"{Replies.MessageTooLarge.Code} {Replies.MessageTooLarge.EnhancedCode}");
        Assert.StartsWith("550 5.6.", $"{Replies.BareLineEnd.Code} {Replies.BareLineEnd.EnhancedCode}");
    }
}
