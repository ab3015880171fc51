using Bulwark.Contracts.DnsPolicy;
using Bulwark.Contracts.IpReputation;
using Bulwark.Contracts.RecipientDirectory;
using Bulwark.Contracts.Sharding;
using Bulwark.Policy.Checks;
using Bulwark.Policy.Content;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Recipients;
using Bulwark.Policy.Verdicts;
using Akka.Actor;
using Bulwark.Listener.Authentication;
using Bulwark.Policy.Arc;
using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dmarc;
using Bulwark.NodeCaches;

namespace Bulwark.Listener.Sessions;

/// <summary>
/// One session's side of <see cref="ISessionAsks"/>: asks of the sharded entities through their
/// regions or proxies, each with a timeout (<see cref="TimedAsk"/>), and the tells that go with
/// them (evidence, the end of the connection). What the node can answer itself (the recipient
/// directory's configuration, call-ahead answers it kept) needs no ask at all.
/// </summary>
public sealed class EntityAsks(ConnectionInfo connection, SessionDependencies deps) : ISessionAsks
{
    private readonly ListenerSettings _settings = deps.Settings;
    private Task<IprevAnswer>? _reverseDns;
    private ParsedMessage? _parsed;
    private (Func<Stream> Source, HeaderSection Section)? _header;

    /// <summary>IpReputation counted this connection, so it must hear when the connection ends.</summary>
    public bool ConnectionCounted { get; private set; }

    public async ValueTask<Admission> AdmitAsync()
    {
        var admission = await deps.IpReputation.AskEntity<ConnectionAdmission>(
            new OpenConnection(connection.IpKey, connection.ConnectionId, DateTimeOffset.UtcNow), _settings.AskTimeout, ShardNames.IpReputation);
        ConnectionCounted = admission.Admitted;
        return admission.Admitted ? Admission.Admitted : admission.Blocked ? Admission.Blocked : Admission.Busy;
    }

    public Task<IprevAnswer> ReverseDnsAsync() => _reverseDns ??= AskReverseDns();

    private async Task<IprevAnswer> AskReverseDns()
    {
        try
        {
            var check = await deps.DnsPolicy.AskEntity<ClientIpCheck>(CheckClientIp.For(connection.ClientIp.ToString()),
                _settings.Dns.AskTimeout, ShardNames.DnsPolicy);
            return new IprevAnswer(check.Result, check.PtrName);
        }
        catch (Exception)
        {
            return new IprevAnswer(IprevResult.TempError, null);
        }
    }

    public async ValueTask<SenderDns> SenderAsync(string domain, string mailFrom, string helo)
    {
        var check = await deps.DnsPolicy.AskEntity<SenderCheck>(
            new CheckSender(domain, connection.ClientIp.ToString(), helo, mailFrom), _settings.Dns.AskTimeout, ShardNames.DnsPolicy);
        return new SenderDns(check.Spf, check.DomainState);
    }

    public ValueTask<RecipientExistence> RecipientAsync(string domain, string localPart) =>
        KnownOnThisNode(domain, localPart) is { } known ? new(known) : new(AskDirectory(domain, localPart));

    /// <summary>What this node answers without an ask: the directory's configuration, or a
    /// call-ahead answer it kept. Null: only the entity can tell.</summary>
    private RecipientExistence? KnownOnThisNode(string domain, string localPart)
    {
        if (deps.Directory is { } directory && StaticDirectory.Answer(directory.For(domain), localPart) is var (known, _))
            return known;
        if (deps.CallAheadAnswers is { } kept && kept.TryGet(domain, localPart, DateTimeOffset.UtcNow, out var cached))
            return cached;
        return null;
    }

    /// <summary>Only call-ahead domains get here: the entity shares one probe among concurrent
    /// asks for an address and caches its answer farm-wide; this node keeps the answer as long
    /// as the entity does.</summary>
    private async Task<RecipientExistence> AskDirectory(string domain, string localPart)
    {
        var answer = await deps.RecipientDirectory.AskEntity<RecipientAnswer>(
            new VerifyRecipient(domain, localPart), _settings.AskTimeout, ShardNames.RecipientDirectory);
        deps.CallAheadAnswers?.Keep(answer, DateTimeOffset.UtcNow);
        return answer.Existence;
    }

    // The raw bytes, not a parsed message: what was signed is what arrived.
    public async Task<DkimFindings> VerifyDkimAsync(Func<Stream> openMessage, int maxSignatures) =>
        await new DkimVerification(LookUpKey).VerifyAsync(await HeaderAsync(openMessage), openMessage, maxSignatures);

    public async Task<FromHeader> ReadFromAsync(Func<Stream> openMessage) => FromHeaderReader.Read((await HeaderAsync(openMessage)).Block);

    public async Task<ArcFindings> VerifyArcAsync(Func<Stream> openMessage)
    {
        // Most mail has no ARC set: the whole message is parsed only for one that has.
        if (!(await HeaderAsync(openMessage)).Block.Has("arc-seal")) return ArcFindings.None;
        return await new ArcVerification(LookUpKey).VerifyAsync((await ParseAsync(openMessage)).Message);
    }

    /// <summary>The message's header section, read on the first ask and kept until <see cref="ReleaseMessage"/>.</summary>
    private async Task<HeaderSection> HeaderAsync(Func<Stream> openMessage)
    {
        if (_header is { } kept && kept.Source == openMessage) return kept.Section;
        await using var stored = openMessage();
        var section = await HeaderSection.ReadAsync(stored);
        _header = (openMessage, section with { BodyStart = ReadOnlyMemory<byte>.Empty });
        return _header.Value.Section;
    }

    public async ValueTask<DmarcDiscoveryResult> DmarcPolicyAsync(string fromDomain)
    {
        var near = deps.AuthenticationAnswers?.Policies;
        var name = NodeAuthenticationAnswers.PolicyName(fromDomain);
        if (near is not null && near.TryGet(name, DateTimeOffset.UtcNow, out var kept)) return kept.ToResult(fromDomain);
        var answer = await deps.DnsPolicy.AskEntity<DmarcPolicyAnswer>(new LookUpDmarcPolicy(fromDomain), _settings.Dns.AskTimeout,
            ShardNames.DnsPolicy);
        near?.Keep(name, answer, answer.ValidUntil, DateTimeOffset.UtcNow);
        return answer.ToResult(fromDomain);
    }

    public int DrawPercent() => Random.Shared.Next(100);

    private async Task<DkimKeyAnswer> LookUpKey(string domain, string selector)
    {
        var near = deps.AuthenticationAnswers?.Keys;
        var name = NodeAuthenticationAnswers.KeyName(domain, selector);
        if (near is not null && near.TryGet(name, DateTimeOffset.UtcNow, out var kept)) return kept;
        var answer = await deps.DnsPolicy.AskEntity<DkimKeyAnswer>(new LookUpDkimKey(domain, selector), _settings.Dns.AskTimeout, ShardNames.DnsPolicy);
        near?.Keep(name, answer, answer.ValidUntil, DateTimeOffset.UtcNow);
        return answer;
    }

    /// <summary>The message the end-of-DATA checks read, parsed on the first ask and kept until
    /// <see cref="ReleaseMessage"/>.</summary>
    private async Task<ParsedMessage> ParseAsync(Func<Stream> openMessage)
    {
        if (_parsed is { } kept && kept.Source == openMessage) return kept;
        ReleaseMessage();
        return _parsed = await ParsedMessage.LoadAsync(openMessage);
    }

    /// <summary>The end of DATA is over: the parsed message and its open spool file go.</summary>
    public void ReleaseMessage()
    {
        _parsed?.Dispose();
        _parsed = null;
        _header = null;
    }

    public Task<ScanReport> ScanAsync(Func<Stream> openMessage, ScanContext context) =>
        deps.Content is { Enabled: true } scanner
            ? scanner.ScanAsync(openMessage, context, CancellationToken.None)
            : throw new InvalidOperationException("no content scanner is configured");

    /// <summary>A refusal's evidence against the client IP (tell; IpReputation may block it).</summary>
    public void Report(Evidence evidence)
    {
        if (evidence == Evidence.None || !_settings.ReputationEnabled) return;
        deps.IpReputation.Tell(new ReportEvidence(connection.IpKey, evidence, DateTimeOffset.UtcNow));
    }

    /// <summary>The connection ended: the farm's count of this IP's connections goes down.</summary>
    public void ConnectionEnded()
    {
        ReleaseMessage();
        if (ConnectionCounted && _settings.ReputationEnabled)
            deps.IpReputation.Tell(new CloseConnection(connection.IpKey, connection.ConnectionId));
    }
}
