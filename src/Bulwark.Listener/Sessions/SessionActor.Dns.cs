using Akka.Actor;
using Akka.Event;
using Bulwark.Listener.Protocol;
using Bulwark.Policy.Addressing;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;
using Bulwark.Policy.Verdicts;
using Bulwark.Contracts.DnsPolicy;
using Bulwark.Contracts.Sharding;

namespace Bulwark.Listener.Sessions;

/// <summary>The DNS authority's part of a session: forward-confirmed reverse DNS of the client,
/// started at connect so that it overlaps EHLO, and SPF plus the sender domain's state at MAIL.</summary>
public sealed partial class SessionActor
{
    private bool _dnsApplies;
    private Task<ClientIpCheck>? _iprev;
    private SpfResult? _spf;

    private void StartReverseLookup()
    {
        var dns = _settings.Dns;
        _dnsApplies = dns.AppliesTo(_connection.ClientIp);
        if (!_dnsApplies || dns.Iprev == IprevAction.Off) return;
        _iprev = AskIprev(CheckClientIp.For(_connection.ClientIp.ToString()), dns.AskTimeout);
    }

    private async Task<ClientIpCheck> AskIprev(CheckClientIp check, TimeSpan timeout)
    {
        try
        {
            return await _deps.DnsPolicy.AskEntity<ClientIpCheck>(check, timeout, ShardNames.DnsPolicy);
        }
        catch (Exception)
        {
            return new ClientIpCheck(IprevResult.TempError, null);
        }
    }

    /// <summary>Checks that run after MAIL's own syntax is accepted. Continue when they have no objection.</summary>
    private async Task<Verdict> CheckSenderDns(ParsedPath path)
    {
        _spf = null;
        if (!_dnsApplies) return Verdict.Continue("mail.dns");
        var dns = _settings.Dns;
        if (_iprev is not null && dns.Iprev is IprevAction.SoftReject or IprevAction.Reject)
        {
            var iprev = IprevPolicy.Decide((await _iprev).Result, dns.Iprev);
            if (!iprev.IsAccept) return iprev;
        }
        var mailFrom = path.Mailbox?.Address ?? "";
        var domain = path.Mailbox?.Domain ?? _helo ?? "";
        // An address literal names no zone to ask; there is nothing to forge either.
        if (domain.Length == 0 || domain.StartsWith('[')) return Verdict.Continue("mail.dns");
        try
        {
            var check = await _deps.DnsPolicy.AskEntity<SenderCheck>(
                new CheckSender(domain, _connection.ClientIp.ToString(), _helo ?? "", mailFrom), dns.AskTimeout, ShardNames.DnsPolicy);
            _spf = check.Spf;
            var verdict = MailFromPolicy.Decide(check.Spf.Result, check.DomainState, dns.MailFrom);
            return verdict.Kind == VerdictKind.Accept ? Verdict.Continue(verdict.Check) : verdict;
        }
        catch (Exception e)
        {
            _log.Warning("sender DNS check for {0} failed: {1}", domain, e.Message);
            return Verdict.Refuse(DnsReplies.DnsTemporaryFailure, "mail.dns");
        }
    }

    /// <summary>The Authentication-Results field for the next hop, or null when no check ran.</summary>
    private async Task<string?> AuthenticationResultsField()
    {
        if (!_dnsApplies) return null;
        var iprev = _iprev is null ? null : await _iprev;
        var value = AuthenticationResults.Format(_settings.Hostname, _spf?.Result, _sender, _helo,
            iprev?.Result, _connection.ClientIp.ToString(), iprev?.PtrName);
        return $"{AuthenticationResults.FieldName}: {value}\r\n";
    }

    /// <summary>Incoming Authentication-Results fields that claim our authserv-id are forgeries.</summary>
    private HeaderSectionFilter ForgedResultsFilter() =>
        new(AuthenticationResults.FieldName, value => AuthenticationResults.ClaimsAuthServId(value, _settings.Hostname));
}
