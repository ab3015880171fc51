namespace Bulwark.Policy.Dmarc;

/// <summary>The words DMARC values are written as: in records, Authentication-Results and logs.</summary>
public static class DmarcKeywords
{
    /// <summary>"pass", "fail", "none", "temperror" (RFC 8601 dmarc= results).</summary>
    public static string Of(DmarcOutcome outcome) => outcome switch
    {
        DmarcOutcome.Pass => "pass",
        DmarcOutcome.Fail => "fail",
        DmarcOutcome.TempError => "temperror",
        _ => "none",
    };

    /// <summary>"none", "quarantine", "reject", as in p= and sp=.</summary>
    public static string Of(DmarcPolicy policy) => policy switch
    {
        DmarcPolicy.Quarantine => "quarantine",
        DmarcPolicy.Reject => "reject",
        _ => "none",
    };
}
