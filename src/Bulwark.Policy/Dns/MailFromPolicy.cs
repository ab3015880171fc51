using Bulwark.Policy.Spf;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Dns;

/// <summary>
/// The MAIL FROM decision from the SPF result and the sender domain's state.
/// Both come from DNS and are looked up together (in parallel), so "cheapest first" does not
/// order them; reliability does: definitive answers of the domain's own zone first, in this order
/// (the first that applies wins):
/// <list type="number">
/// <item>domain NXDOMAIN: 550 5.1.8 (SPF of a name that does not exist says nothing more);</item>
/// <item>null MX: 550 5.7.27, evidence NullMxSender (the owner says the domain sends no mail);</item>
/// <item>no MX and no address (when enabled): 550 5.1.8;</item>
/// <item>SPF fail: 550 5.7.23, evidence SpfFail;</item>
/// <item>SPF permerror: 550 5.7.24 unless <see cref="MailFromOptions.AcceptPermError"/>;</item>
/// <item>then temporary failures, never a 5xx: the domain check 451 4.4.3, SPF temperror 451 4.7.24.</item>
/// </list>
/// A permanent answer outranks a temporary one on purpose: an SPF fail is definitive even if the
/// MX lookup timed out, and deferring it would only invite a retry that fails again.
/// softfail, neutral, none and pass never refuse on their own (RFC 7208 8.4 to 8.6).
/// The null sender has no domain: the caller passes <see cref="SenderDomainState.NotChecked"/>
/// and only SPF (of the HELO identity) applies.
/// </summary>
public static class MailFromPolicy
{
    public const string SpfCheck = "mail.spf";
    public const string DomainCheck = "mail.domain";

    public static Verdict Decide(SpfOutcome spf, SenderDomainState domain, MailFromOptions options)
    {
        switch (domain)
        {
            case SenderDomainState.NxDomain:
                return Verdict.Refuse(DnsReplies.SenderDomainUnknown, DomainCheck);
            case SenderDomainState.NullMx:
                return Verdict.Refuse(DnsReplies.NullMxSender, DomainCheck, Evidence.NullMxSender);
            case SenderDomainState.NoMailRoute when options.RejectNoMailRoute:
                return Verdict.Refuse(DnsReplies.SenderNoMailRoute, DomainCheck);
        }
        switch (spf)
        {
            case SpfOutcome.Fail:
                return Verdict.Refuse(DnsReplies.SpfFail, SpfCheck, Evidence.SpfFail);
            case SpfOutcome.PermError when !options.AcceptPermError:
                return Verdict.Refuse(DnsReplies.SpfPermError, SpfCheck);
        }
        if (domain == SenderDomainState.TemporaryFailure)
            return Verdict.Refuse(DnsReplies.DnsTemporaryFailure, DomainCheck);
        if (spf == SpfOutcome.TempError)
            return Verdict.Refuse(DnsReplies.SpfTempError, SpfCheck);
        return Verdict.Continue(SpfCheck);
    }
}
