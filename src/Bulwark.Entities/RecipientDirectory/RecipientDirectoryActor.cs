using Akka.Actor;
using Akka.Event;
using Bulwark.Contracts.RecipientDirectory;
using Bulwark.NodeCaches;
using Bulwark.Policy.Recipients;

namespace Bulwark.Entities.RecipientDirectory;

/// <summary>
/// One domain's recipient directory (a sharded entity keyed by domain). Order of checks:
/// postmaster (always exists, RFC 5321 4.5.1), the static list, catch-all, then call-ahead to
/// the next hop with cached answers. Concurrent asks for the same address share one probe.
/// A failed probe is a temporary failure and is not cached: the next ask tries again.
/// </summary>
public sealed class RecipientDirectoryActor : ReceiveActor
{
    private readonly string _domain;
    private readonly DomainDirectoryOptions _options;
    private readonly IRecipientProbe? _probe;
    private readonly Func<DateTimeOffset> _clock;
    private readonly CallAheadCache _cache;
    private readonly Dictionary<string, List<IActorRef>> _pending = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public RecipientDirectoryActor(RecipientDirectoryOptions options, string? domain,
        Func<CallAheadOptions, IRecipientProbe>? probeFactory, Func<DateTimeOffset> clock)
    {
        // Sharding names the entity child by its (URL-escaped) entity id, the domain.
        _domain = (domain ?? Uri.UnescapeDataString(Self.Path.Name)).ToLowerInvariant();
        _options = options.For(_domain);
        _clock = clock;
        _cache = new CallAheadCache(_options.CallAhead.MaxCachedEntries);
        if (_options.CallAhead.Enabled)
            _probe = (probeFactory ?? (o => new MailKitRecipientProbe(o)))(_options.CallAhead);

        Receive<VerifyRecipient>(OnVerify);
        Receive<ProbeCompleted>(OnProbeCompleted);
    }

    /// <param name="domain">The domain; when null it is taken from the actor's name (sharding).</param>
    /// <param name="probeFactory">Builds the call-ahead probe (default: MailKit over SMTP).</param>
    public static Props Props(RecipientDirectoryOptions options, string? domain = null,
        Func<CallAheadOptions, IRecipientProbe>? probeFactory = null, Func<DateTimeOffset>? clock = null) =>
        Akka.Actor.Props.Create(() => new RecipientDirectoryActor(options, domain, probeFactory,
            clock ?? (() => DateTimeOffset.UtcNow)));

    private void OnVerify(VerifyRecipient m)
    {
        var local = m.LocalPart.ToLowerInvariant();
        if (StaticDirectory.Answer(_options, local) is var (existence, source))
        {
            Reply(m, existence, source);
            return;
        }
        if (_cache.TryGet(local, _clock(), out var exists, out var expires))
        {
            Sender.Tell(new RecipientAnswer(_domain, m.LocalPart, exists ? RecipientExistence.Exists : RecipientExistence.Unknown,
                "call-ahead-cache") { ValidUntil = expires });
            return;
        }
        if (_pending.TryGetValue(local, out var waiting))
        {
            waiting.Add(Sender);
            return;
        }
        _pending[local] = [Sender];
        StartProbe(local);
    }

    private void StartProbe(string local)
    {
        var address = $"{local}@{_domain}";
        // The probe enforces CallAhead.Timeout itself; this token is a second fence.
        var cts = new CancellationTokenSource(_options.CallAhead.Timeout + TimeSpan.FromSeconds(1));
        Task<RecipientExistence> task;
        try
        {
            task = _probe!.ProbeAsync(address, cts.Token);
        }
        catch (Exception ex)
        {
            task = Task.FromException<RecipientExistence>(ex);
        }
        task.ContinueWith(_ => cts.Dispose(), TaskScheduler.Default);
        task.PipeTo(Self,
            success: r => new ProbeCompleted(local, r, null),
            failure: ex => new ProbeCompleted(local, RecipientExistence.TemporaryFailure, ex));
    }

    private void OnProbeCompleted(ProbeCompleted done)
    {
        if (done.Error is not null)
            _log.Warning(done.Error, "call-ahead probe for {0}@{1} threw", done.LocalPart, _domain);
        var now = _clock();
        var existence = done.Result;
        DateTimeOffset? validUntil = existence switch
        {
            RecipientExistence.Exists => now + _options.CallAhead.PositiveTtl,
            RecipientExistence.Unknown => now + _options.CallAhead.NegativeTtl,
            _ => null,
        };
        if (validUntil is { } expiry)
            _cache.Put(done.LocalPart, existence == RecipientExistence.Exists, expiry);

        if (!_pending.Remove(done.LocalPart, out var waiting))
            return;
        var answer = new RecipientAnswer(_domain, done.LocalPart, existence, "call-ahead") { ValidUntil = validUntil };
        foreach (var asker in waiting)
            asker.Tell(answer);
    }

    private void Reply(VerifyRecipient m, RecipientExistence existence, string source) =>
        Sender.Tell(new RecipientAnswer(_domain, m.LocalPart, existence, source));

    private sealed record ProbeCompleted(string LocalPart, RecipientExistence Result, Exception? Error);
}
