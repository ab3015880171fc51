using System.Net;
using Akka.Actor;
using Akka.Event;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;
using Bulwark.Contracts.DnsPolicy;
using Bulwark.Dns;
using Bulwark.Dns.Spf;

namespace Bulwark.Entities.DnsPolicy;

/// <summary>
/// The DnsPolicy entity (sharded): one per sender domain for <see cref="CheckSender"/>, one per
/// client IP (key "iprev:" + IP) for <see cref="CheckClientIp"/>. It never blocks: lookups run as
/// tasks whose results come back as messages (PipeTo). Identical checks in flight are coalesced
/// (one evaluation, every asker gets the answer); SPF results are reused for a short time
/// (<see cref="DnsPolicySettings.SpfResultCacheTime"/>). The node-wide caching resolver is
/// shared by all entities, so DNS records are cached once per node, by their TTLs.
/// </summary>
public sealed class DnsPolicyActor : ReceiveActor
{
    private sealed record SenderDone(string Key, SenderCheck Answer);
    private sealed record IprevDone(ClientIpCheck Answer);
    private sealed record CachedSpf(SenderCheck Answer, DateTimeOffset Expires);
    private sealed record DmarcDone(DmarcPolicyAnswer Answer, TimeSpan Ttl);

    private readonly IDnsResolver _dns;
    private readonly SpfEvaluator _spf;
    private readonly DnsPolicySettings _settings;
    private readonly Func<DateTimeOffset> _clock;
    private readonly Dictionary<string, List<IActorRef>> _pendingSenders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CachedSpf> _spfCache = new(StringComparer.Ordinal);
    private List<IActorRef>? _pendingIprev;
    private List<IActorRef>? _pendingDmarc;
    private (DmarcPolicyAnswer Answer, DateTimeOffset Expires)? _dmarc;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public DnsPolicyActor(IDnsResolver resolver, SpfOptions spf, DnsPolicySettings settings, Func<DateTimeOffset> clock)
    {
        _dns = resolver;
        _spf = new SpfEvaluator(resolver, spf);
        _settings = settings;
        _clock = clock;
        Receive<CheckSender>(OnCheckSender);
        Receive<SenderDone>(OnSenderDone);
        Receive<CheckClientIp>(OnCheckClientIp);
        Receive<IprevDone>(OnIprevDone);
        Receive<LookUpDkimKey>(OnLookUpDkimKey);
        Receive<LookUpDmarcPolicy>(OnLookUpDmarcPolicy);
        Receive<DmarcDone>(OnDmarcDone);
    }

    /// <param name="resolver">The node-wide resolver (a <see cref="CachingDnsResolver"/>).</param>
    public static Props Props(IDnsResolver resolver, SpfOptions spf, DnsPolicySettings? settings = null,
        Func<DateTimeOffset>? clock = null) =>
        Akka.Actor.Props.Create(() => new DnsPolicyActor(resolver, spf, settings ?? DnsPolicySettings.Default,
            clock ?? (() => DateTimeOffset.UtcNow)));

    private void OnCheckSender(CheckSender m)
    {
        if (!IPAddress.TryParse(m.ClientIp, out var ip))
        {
            // A caller bug, not a DNS outcome: say so, and let MailFromPolicy continue.
            Sender.Tell(new SenderCheck(m.Key, new SpfResult(SpfOutcome.None, m.Key, Problem: "bad client IP " + m.ClientIp),
                SenderDomainState.NotChecked));
            return;
        }
        var key = $"{ip}|{m.MailFrom.ToLowerInvariant()}|{m.Helo.ToLowerInvariant()}";
        if (_spfCache.TryGetValue(key, out var cached))
        {
            if (cached.Expires > _clock())
            {
                Sender.Tell(cached.Answer);
                return;
            }
            _spfCache.Remove(key);
        }
        if (_pendingSenders.TryGetValue(key, out var waiting))
        {
            waiting.Add(Sender);
            return;
        }
        _pendingSenders[key] = [Sender];
        CheckSenderAsync(m, ip).PipeTo(Self, success: a => new SenderDone(key, a),
            failure: e => new SenderDone(key, new SenderCheck(m.Key,
                new SpfResult(SpfOutcome.TempError, m.Key, Problem: e.Message), SenderDomainState.TemporaryFailure)));
    }

    private async Task<SenderCheck> CheckSenderAsync(CheckSender m, IPAddress ip)
    {
        var at = m.MailFrom.LastIndexOf('@');
        var domain = at >= 0 ? m.MailFrom[(at + 1)..].TrimEnd('.').ToLowerInvariant() : m.Key;
        using var cts = new CancellationTokenSource(_settings.CheckTimeout);
        var spf = Guard(_spf.CheckMailFromAsync(ip, m.MailFrom, m.Helo, cts.Token),
            e => new SpfResult(SpfOutcome.TempError, domain, Problem: e.Message));
        // Both need DNS, so they run together; MailFromPolicy orders their verdicts.
        var state = m.MailFrom.Length == 0
            ? Task.FromResult(SenderDomainState.NotChecked)
            : Guard(SenderDomainLookup.CheckAsync(_dns, domain, cts.Token), _ => SenderDomainState.TemporaryFailure);
        return new SenderCheck(domain, await spf.ConfigureAwait(false), await state.ConfigureAwait(false));
    }

    private void OnSenderDone(SenderDone done)
    {
        if (_pendingSenders.Remove(done.Key, out var waiting))
            foreach (var asker in waiting) asker.Tell(done.Answer);
        if (_settings.SpfResultCacheTime > TimeSpan.Zero && done.Answer.Spf.Result != SpfOutcome.TempError &&
            done.Answer.DomainState != SenderDomainState.TemporaryFailure)
        {
            if (_spfCache.Count >= _settings.SpfResultCacheEntries) EvictExpiredOrAll();
            _spfCache[done.Key] = new CachedSpf(done.Answer, _clock() + _settings.SpfResultCacheTime);
        }
    }

    private void EvictExpiredOrAll()
    {
        var now = _clock();
        foreach (var k in _spfCache.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList()) _spfCache.Remove(k);
        // Still full of live entries: a flood of distinct senders. Start over rather than track LRU
        // order for entries that live 30 s.
        if (_spfCache.Count >= _settings.SpfResultCacheEntries) _spfCache.Clear();
    }

    private void OnCheckClientIp(CheckClientIp m)
    {
        if (!IPAddress.TryParse(m.ClientIp, out var ip))
        {
            Sender.Tell(new ClientIpCheck(IprevResult.Fail, null));
            return;
        }
        if (_pendingIprev is not null)
        {
            _pendingIprev.Add(Sender);
            return;
        }
        _pendingIprev = [Sender];
        var cts = new CancellationTokenSource(_settings.CheckTimeout);
        Guard(ForwardConfirmedReverseDns.CheckAsync(_dns, ip, cts.Token),
                _ => new ForwardConfirmedReverseDns.Outcome(IprevResult.TempError, null))
            .ContinueWith(t =>
            {
                cts.Dispose();
                return new IprevDone(new ClientIpCheck(t.Result.Result, t.Result.PtrName));
            }, TaskScheduler.Default)
            .PipeTo(Self);
    }

    private void OnIprevDone(IprevDone done)
    {
        var waiting = _pendingIprev ?? [];
        _pendingIprev = null;
        foreach (var asker in waiting) asker.Tell(done.Answer);
    }

    /// <summary>The node's caching resolver answers repeats from its cache by the record's TTL;
    /// a lookup that throws is a timeout for the asker, whose signature is then a temperror.</summary>
    private void OnLookUpDkimKey(LookUpDkimKey m)
    {
        var cts = new CancellationTokenSource(_settings.CheckTimeout);
        Guard(_dns.TxtAsync(m.Name, cts.Token), _ => DnsAnswer<string>.Of(DnsStatus.Timeout))
            .ContinueWith(t =>
            {
                cts.Dispose();
                return DkimKeyAnswer.From(t.Result, _clock());
            }, TaskScheduler.Default)
            .PipeTo(Sender);
    }

    /// <summary>One entity per From domain, so one policy to keep: reused until the shortest TTL
    /// of the records it came from runs out (at most <see cref="DnsPolicySettings.DmarcPolicyMaxCacheTime"/>);
    /// concurrent asks share one discovery; a temperror is never kept.</summary>
    private void OnLookUpDmarcPolicy(LookUpDmarcPolicy m)
    {
        if (_dmarc is { } kept && kept.Expires > _clock())
        {
            Sender.Tell(kept.Answer with { ValidUntil = kept.Expires });
            return;
        }
        if (_pendingDmarc is not null)
        {
            _pendingDmarc.Add(Sender);
            return;
        }
        _pendingDmarc = [Sender];
        var cts = new CancellationTokenSource(_settings.CheckTimeout);
        Guard(DiscoverDmarcAsync(m.FromDomain, cts.Token), e => new DmarcDone(
                DmarcPolicyAnswer.From(DmarcDiscoveryResult.TempError(m.Key, $"DMARC policy lookup failed: {e.Message}"), null), TimeSpan.Zero))
            .ContinueWith(t =>
            {
                cts.Dispose();
                return t.Result;
            }, TaskScheduler.Default)
            .PipeTo(Self);
    }

    private async Task<DmarcDone> DiscoverDmarcAsync(string fromDomain, CancellationToken ct)
    {
        var answers = new List<DnsAnswer<string>>(2);
        var step = DmarcDiscovery.Next(fromDomain, _settings.PublicSuffixes, answers);
        while (!step.IsDone)
        {
            answers.Add(await _dns.TxtAsync(step.QueryName, ct).ConfigureAwait(false));
            step = DmarcDiscovery.Next(fromDomain, _settings.PublicSuffixes, answers);
        }
        var result = step.Result;
        var recordText = result.Status == DmarcDiscoveryStatus.Found
            ? answers[^1].Records.FirstOrDefault(DmarcRecordParser.IsDmarcRecord)
            : null;
        var ttl = answers.Count == 0 ? TimeSpan.Zero : answers.Min(a => a.Ttl);
        return new DmarcDone(DmarcPolicyAnswer.From(result, recordText), ttl);
    }

    private void OnDmarcDone(DmarcDone done)
    {
        var waiting = _pendingDmarc ?? [];
        _pendingDmarc = null;
        // Kept before anyone is answered: the TTL runs from when the answer came, not from
        // whenever this line would run after the replies.
        var keep = done.Ttl < _settings.DmarcPolicyMaxCacheTime ? done.Ttl : _settings.DmarcPolicyMaxCacheTime;
        _dmarc = done.Answer.Status != DmarcDiscoveryStatus.TempError && keep > TimeSpan.Zero
            ? (done.Answer, _clock() + keep)
            : null;
        var answer = _dmarc is { } kept ? done.Answer with { ValidUntil = kept.Expires } : done.Answer;
        foreach (var asker in waiting) asker.Tell(answer);
    }

    /// <summary>Turns a faulted or cancelled task into a temporary-failure value, logged: the
    /// askers must always get an answer, and a DNS failure is never a reason to accept or deny for good.</summary>
    private async Task<T> Guard<T>(Task<T> task, Func<Exception, T> onError)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log.Warning(e, "DnsPolicy check failed; answering with a temporary failure");
            return onError(e);
        }
    }
}
