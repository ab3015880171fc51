namespace Bulwark.Policy.Spf;

/// <summary>The seven check_host() results of RFC 7208 section 2.6.</summary>
public enum SpfOutcome
{
    None,
    Neutral,
    Pass,
    Fail,
    SoftFail,
    TempError,
    PermError,
}
