using Bulwark.Policy.Content;
using Bulwark.Policy.Dmarc;

namespace Bulwark.Policy.Tests.Dmarc;

public class StoragePlanTests
{
    private static readonly string[] Recipients = ["a@x.test", "b@x.test", "c@y.test"];

    private static DmarcFinding Quarantined(string[] quarantine, string[] marked) =>
        new(new DmarcResult(DmarcOutcome.Fail, "sender.test", null, DmarcPolicy.Quarantine, false, DmarcPolicy.Quarantine, false,
            "sender.test", "sender.test DMARC policy p=quarantine: neither SPF nor DKIM aligned"), DmarcAction.Quarantined, null, quarantine, marked);

    [Fact]
    public void Nothing_to_say_means_no_plan() =>
        Assert.Null(StoragePlan.For(Recipients, null, new DmarcFinding(
            new DmarcResult(DmarcOutcome.Pass, "sender.test", null, null, false, DmarcPolicy.None, false, null, "pass"), DmarcAction.None, null, [], [])));

    [Fact]
    public void Dmarc_quarantine_and_mark_split_the_recipients()
    {
        var plan = StoragePlan.For(Recipients, null, Quarantined(["a@x.test"], ["c@y.test"]))!;
        Assert.Equal(["a@x.test"], plan.Quarantine);
        Assert.StartsWith("DMARC: ", plan.QuarantineReason);
        Assert.Equal(2, plan.Copies.Count);
        var marked = Assert.Single(plan.Copies, c => c.Recipients.Contains("c@y.test"));
        Assert.Contains(marked.Headers, h => h.Name == DmarcFinding.MarkField);
        var plain = Assert.Single(plan.Copies, c => c.Recipients.Contains("b@x.test"));
        Assert.DoesNotContain(plain.Headers, h => h.Name == DmarcFinding.MarkField);
        // Every recipient is in exactly one place: nothing accepted is lost or doubled.
        Assert.Equal(Recipients.Order(), plan.Copies.SelectMany(c => c.Recipients).Concat(plan.Quarantine).Order());
    }
}
