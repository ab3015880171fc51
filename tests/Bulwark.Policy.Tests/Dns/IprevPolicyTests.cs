using Bulwark.Policy.Dns;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Tests.Dns;

public sealed class IprevPolicyTests
{
    private static string Wire(Verdict v) => v.Kind == VerdictKind.Continue ? "continue" : $"{v.Reply.Code} {v.Reply.EnhancedCode}";

    [Theory]
    [InlineData(IprevResult.Pass, IprevAction.Off, "continue")]
    [InlineData(IprevResult.Fail, IprevAction.Off, "continue")]
    [InlineData(IprevResult.TempError, IprevAction.Off, "continue")]
    [InlineData(IprevResult.Fail, IprevAction.RecordOnly, "continue")]
    [InlineData(IprevResult.TempError, IprevAction.RecordOnly, "continue")]
    [InlineData(IprevResult.Pass, IprevAction.Reject, "continue")]
    [InlineData(IprevResult.Fail, IprevAction.SoftReject, "450 4.7.25")]
    [InlineData(IprevResult.Fail, IprevAction.Reject, "550 5.7.25")]
    [InlineData(IprevResult.TempError, IprevAction.SoftReject, "451 4.4.3")]
    [InlineData(IprevResult.TempError, IprevAction.Reject, "451 4.4.3")]
    public void Decision_table(IprevResult result, IprevAction action, string expected)
    {
        var v = IprevPolicy.Decide(result, action);
        Assert.Equal(expected, Wire(v));
        Assert.Equal(IprevPolicy.Check, v.Check);
    }
}
