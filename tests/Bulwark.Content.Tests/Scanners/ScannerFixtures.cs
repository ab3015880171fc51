using Bulwark.Tests.Shared;

namespace Bulwark.Content.Tests.Scanners;

/// <summary>One clamd per test class that uses it (it starts in well under a second).</summary>
public sealed class ClamdFixture : IDisposable
{
    public ClamdServer Server { get; } = new ClamdServer().Start();
    public void Dispose() => Server.Dispose();
}

/// <summary>One rspamd per test class that uses it (about 1 s once the machine's cache is warm).</summary>
public sealed class RspamdFixture : IDisposable
{
    public RspamdServer Server { get; } = new RspamdServer().Start();
    public void Dispose() => Server.Dispose();
}
