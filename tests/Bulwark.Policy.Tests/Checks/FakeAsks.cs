using Bulwark.Policy.Arc;
using Bulwark.Policy.Checks;
using Bulwark.Policy.Content;
using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Recipients;
using Bulwark.Policy.Spf;

namespace Bulwark.Policy.Tests.Checks;

/// <summary>Answers a check's asks from fixed values, counting them; what is not set throws, as
/// a timed-out ask would.</summary>
public sealed class FakeAsks : ISessionAsks
{
    public Admission? Admission { get; set; }
    public IprevAnswer? ReverseDns { get; set; }
    public SenderDns? Sender { get; set; }
    public RecipientExistence? Recipient { get; set; }
    public ScanReport? Scan { get; set; }
    public List<string> Asked { get; } = [];
    public ScanContext? LastScanContext { get; private set; }

    public ValueTask<Admission> AdmitAsync() => Answer("admit", Admission);

    public Task<IprevAnswer> ReverseDnsAsync()
    {
        Asked.Add("iprev");
        return Task.FromResult(ReverseDns ?? new IprevAnswer(IprevResult.TempError, null));
    }

    public ValueTask<SenderDns> SenderAsync(string domain, string mailFrom, string helo) => Answer($"sender {domain} {mailFrom} {helo}", Sender);

    public ValueTask<RecipientExistence> RecipientAsync(string domain, string localPart) => Answer($"recipient {localPart}@{domain}", Recipient);

    public DkimFindings? Dkim { get; set; }

    public Task<DkimFindings> VerifyDkimAsync(Func<Stream> openMessage, int maxSignatures) => Answer($"dkim {maxSignatures}", Dkim).AsTask();

    public FromHeader? From { get; set; }

    public Task<FromHeader> ReadFromAsync(Func<Stream> openMessage) => Answer("from", From).AsTask();

    public ArcFindings? Arc { get; set; }

    public Task<ArcFindings> VerifyArcAsync(Func<Stream> openMessage) => Answer("arc", Arc).AsTask();

    public DmarcDiscoveryResult? DmarcPolicy { get; set; }

    public ValueTask<DmarcDiscoveryResult> DmarcPolicyAsync(string fromDomain) => Answer($"dmarc {fromDomain}", DmarcPolicy);

    /// <summary>What the pct= roll draws (0-99).</summary>
    public int Percent { get; set; }

    public int DrawPercent() => Percent;

    public Task<ScanReport> ScanAsync(Func<Stream> openMessage, ScanContext context)
    {
        LastScanContext = context;
        return Answer("scan", Scan).AsTask();
    }

    private ValueTask<T> Answer<T>(string what, T? value) where T : class
    {
        Asked.Add(what);
        return value is { } v ? new(v) : ValueTask.FromException<T>(new TimeoutException($"{what}: no answer"));
    }

    private ValueTask<T> Answer<T>(string what, T? value, int _ = 0) where T : struct
    {
        Asked.Add(what);
        return value is { } v ? new(v) : ValueTask.FromException<T>(new TimeoutException($"{what}: no answer"));
    }
}
