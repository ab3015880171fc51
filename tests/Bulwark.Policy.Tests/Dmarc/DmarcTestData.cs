using Bulwark.Policy.Dmarc;

namespace Bulwark.Policy.Tests.Dmarc;

/// <summary>A small Public Suffix List with the shapes the tests need: a plain TLD, a two-label
/// suffix, a wildcard and its exception.</summary>
internal static class DmarcTestData
{
    public static readonly PublicSuffixList Psl = PublicSuffixList.Parse([
        "// test list", "com", "org", "uk", "co.uk", "*.ck", "!www.ck", "",
    ]);
}
