using System.Net;
using System.Net.Sockets;
using Bulwark.Policy.Dns;
using Bulwark.Dns;

namespace Bulwark.Actors.Tests.Dns;

/// <summary>A resolver whose answers the test sets, counting the questions it gets; while
/// <see cref="Hold"/> is set, answers wait for <see cref="Release"/> (to test coalescing).</summary>
internal sealed class ScriptedResolver : IDnsResolver
{
    private readonly Dictionary<string, object> _answers = new(StringComparer.OrdinalIgnoreCase);
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public bool Hold { get; set; }
    public int Calls => Volatile.Read(ref _calls);

    public void Release() => _gate.TrySetResult();

    public ScriptedResolver Set<T>(string key, DnsAnswer<T> answer)
    {
        lock (_answers) _answers[key] = answer;
        return this;
    }

    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct) => Answer<string>("TXT " + name);
    public Task<DnsAnswer<IPAddress>> AddressAsync(string name, AddressFamily family, CancellationToken ct) =>
        Answer<IPAddress>((family == AddressFamily.InterNetworkV6 ? "AAAA " : "A ") + name);
    public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct) => Answer<MxRecord>("MX " + name);
    public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct) => Answer<string>("PTR " + address);

    private async Task<DnsAnswer<T>> Answer<T>(string key)
    {
        Interlocked.Increment(ref _calls);
        if (Hold) await _gate.Task;
        lock (_answers)
            return _answers.TryGetValue(key, out var a) ? (DnsAnswer<T>)a : DnsAnswer<T>.Of(DnsStatus.NxDomain);
    }
}

internal sealed class ManualTime : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public override DateTimeOffset GetUtcNow() => Now;
    public void Advance(TimeSpan by) => Now += by;
}
