using Bulwark.Dns.Dmarc;

namespace Bulwark.Dns.Tests.Dmarc;

/// <summary>Both lists a node may read, Debian's file and the copy built into the node, give
/// the Organizational Domains DMARC relies on.</summary>
public sealed class PublicSuffixListFileTests
{
    [Theory]
    [InlineData(PublicSuffixListFile.DebianPath)]
    [InlineData("/nonexistent/public_suffix_list.dat")]
    public void The_list_knows_multi_label_suffixes_and_private_domains(string path)
    {
        var (list, origin) = PublicSuffixListFile.Load(path);

        Assert.Equal(path == PublicSuffixListFile.DebianPath ? path : "built-in copy", origin);
        Assert.True(list.RuleCount > 5000, $"{list.RuleCount} rules");
        Assert.Equal("example.co.uk", list.OrganizationalDomain("mail.example.co.uk"));
        Assert.Equal("example.com", list.OrganizationalDomain("a.b.example.com"));
        Assert.Null(list.OrganizationalDomain("co.uk"));
        // A private-section suffix: each project under it is its own organization.
        Assert.Equal("project.github.io", list.OrganizationalDomain("www.project.github.io"));
    }
}
