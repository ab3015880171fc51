using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Bulwark.Policy.Reputation;
using Bulwark.Contracts.IpReputation;

namespace Bulwark.Entities.IpReputation;

/// <summary>
/// The single writer for one IP key (IPv4 address or IPv6 /64): counts strikes, decides blocks,
/// counts open connections farm-wide. Blocks are persisted (tagged, so listeners can rebuild
/// their caches from the journal) and then published to every listener's block cache.
/// Strikes and connections are deliberately memory-only: losing them on a node crash costs at
/// most a few extra refusals, persisting them would cost a write per SMTP refusal.
///
/// Passivation: the entity asks its shard to passivate it after <c>idleTimeout</c> without
/// messages, but only when it holds nothing recovery would not rebuild (no block in force, no
/// recent strikes, no open connections). The host should therefore leave sharding's automatic
/// idle passivation off for this type (or set it above ConnectionLease), or it would drop
/// connection counts of long, quiet sessions.
///
/// Journal size: every <c>snapshotEvery</c> events the entity saves a snapshot and deletes
/// what it covers, and an idle entity with nothing left to remember deletes its whole history
/// (see IpReputationActor.Journal.cs and <see cref="JournalRetention"/>).
/// </summary>
public sealed partial class IpReputationActor : ReceivePersistentActor
{
    private readonly string _ipKey;
    private readonly ReputationOptions _options;
    private readonly bool _allowlisted;
    private readonly Func<DateTimeOffset> _clock;
    private readonly Dictionary<string, DateTimeOffset> _connections = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ReputationState _state = ReputationState.Empty;
    /// <summary>The block in <see cref="_state"/> is an operator's (kept for the snapshot).</summary>
    private bool _blockedByOperator;

    public IpReputationActor(ReputationOptions options, string? ipKey, TimeSpan idleTimeout, Func<DateTimeOffset> clock,
        int snapshotEvery)
    {
        _options = options;
        // Sharding names the entity child by the URL-escaped entity id (a /64 key holds a '/').
        _ipKey = ipKey ?? Uri.UnescapeDataString(Self.Path.Name);
        _allowlisted = ReputationOptions.IsAllowlisted(_ipKey, options.ParseAllowlist());
        _clock = clock;
        _snapshotEvery = snapshotEvery;
        PersistenceId = "ip-" + _ipKey;

        Recover<SnapshotOffer>(RecoverSnapshot);
        Recover<IBlockEvent>(e =>
        {
            Apply(e);
            _hasHistory = true;
        });
        Recover<RecoveryCompleted>(_ => SnapshotIfDue());

        Command<ReportEvidence>(OnEvidence);
        Command<OpenConnection>(OnOpen);
        Command<CloseConnection>(m => _connections.Remove(m.ConnectionId));
        Command<BlockIp>(OnOperatorBlock);
        Command<UnblockIp>(OnOperatorUnblock);
        Command<GetIpStatus>(_ => Sender.Tell(Status()));
        Command<GetIpReputationSnapshot>(_ => Sender.Tell(CurrentSnapshot()));
        Command<ReceiveTimeout>(_ => OnIdle());
        JournalCommands();

        if (idleTimeout > TimeSpan.Zero)
            SetReceiveTimeout(idleTimeout);
    }

    public override string PersistenceId { get; }

    /// <param name="ipKey">The key; when null it is taken from the actor's name, which is how
    /// sharding names entities.</param>
    /// <param name="idleTimeout">Idle time before the entity asks to be passivated (default 2 min).</param>
    /// <param name="clock">Time source for block and lease times (default UtcNow).</param>
    /// <param name="snapshotEvery">Events between two snapshots (default <see cref="DefaultSnapshotEvery"/>);
    /// 0 turns snapshots and the deletions that follow them off.</param>
    public static Props Props(ReputationOptions options, string? ipKey = null, TimeSpan? idleTimeout = null,
        Func<DateTimeOffset>? clock = null, int snapshotEvery = DefaultSnapshotEvery) =>
        Akka.Actor.Props.Create(() => new IpReputationActor(options, ipKey,
            idleTimeout ?? TimeSpan.FromMinutes(2), clock ?? (() => DateTimeOffset.UtcNow), snapshotEvery));

    /// <summary>What recovery replays and what the block cache needs are the same events.</summary>
    private void Apply(IBlockEvent evt)
    {
        switch (evt)
        {
            case IpBlocked e:
                _state = _state.WithBlock(e.Until, e.Reason);
                _blockedByOperator = e.ByOperator;
                if (!e.ByOperator)
                    _state = _state.WithOffence(e.Offences, e.At ?? e.Until);
                break;
            case IpUnblocked:
                _state = _state.WithoutBlock();
                _blockedByOperator = false;
                break;
        }
    }

    private void OnEvidence(ReportEvidence m)
    {
        if (_allowlisted)
            return;
        var now = _clock();
        var (next, block) = ReputationRules.Apply(_state, m.Evidence, now, _options);
        if (block is null)
        {
            _state = next;
            return;
        }
        var evt = new IpBlocked(_ipKey, block.Until, block.Reason, block.Offences) { At = now };
        PersistAndPublish(evt, () =>
        {
            _state = next;
            _blockedByOperator = false;
            _log.Info("blocked {0} until {1:O}: {2} (offence {3})", _ipKey, block.Until, block.Reason, block.Offences);
        });
    }

    private void OnOpen(OpenConnection m)
    {
        var now = _clock();
        DropExpiredLeases(now);
        bool admitted;
        if (_state.IsBlocked(now))
            admitted = false;
        else if (_connections.ContainsKey(m.ConnectionId) || _allowlisted || _connections.Count < _options.MaxConnectionsPerIp)
        {
            // Allowlisted peers (partners, our own relays) are exempt from the concurrency cap too.
            _connections[m.ConnectionId] = now;
            admitted = true;
        }
        else
            admitted = false;
        Sender.Tell(new ConnectionAdmission(_ipKey, admitted, _connections.Count, _state.IsBlocked(now)));
    }

    private void OnOperatorBlock(BlockIp m)
    {
        if (_allowlisted)
        {
            _log.Warning("refused operator block of allowlisted {0} ({1})", _ipKey, m.Reason);
            Sender.Tell(Status());
            return;
        }
        var now = _clock();
        var evt = new IpBlocked(_ipKey, now + m.Duration, m.Reason, _state.OffencesAt(now, _options))
        {
            At = now,
            ByOperator = true,
        };
        var replyTo = Sender;
        PersistAndPublish(evt, () =>
        {
            _state = _state.WithBlock(evt.Until, evt.Reason);
            _blockedByOperator = true;
            _log.Info("operator blocked {0} until {1:O}: {2}", _ipKey, evt.Until, evt.Reason);
            replyTo.Tell(Status());
        });
    }

    private void OnOperatorUnblock(UnblockIp m)
    {
        if (!_state.IsBlocked(_clock()))
        {
            Sender.Tell(Status());
            return;
        }
        var replyTo = Sender;
        PersistAndPublish(new IpUnblocked(_ipKey, m.Reason), () =>
        {
            _state = _state.WithoutBlock();
            _blockedByOperator = false;
            _log.Info("operator unblocked {0}: {1}", _ipKey, m.Reason);
            replyTo.Tell(Status());
        });
    }

    /// <summary>Persist first, then tell the listeners: a block they hear of is one that a
    /// restarting listener will also find in the journal.</summary>
    private void PersistAndPublish(IBlockEvent evt, Action applied)
    {
        Persist(new Tagged(evt, [BlockTopic.PersistenceTag]), _ =>
        {
            applied();
            _hasHistory = true;
            DistributedPubSub.Get(Context.System).Mediator.Tell(new Publish(BlockTopic.Name, evt));
            SnapshotIfDue();
        });
    }

    private void OnIdle()
    {
        var now = _clock();
        DropExpiredLeases(now);
        if (_connections.Count > 0 || !_state.IsIdle(now, _options))
            return;
        // Passivation waits for the deletion's answer (ForgetDone), so no reply of the journal
        // reaches a stopped entity.
        if (!ForgetIfNothingToRemember(now))
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    private void DropExpiredLeases(DateTimeOffset now)
    {
        if (_connections.Count == 0)
            return;
        var cutoff = now - _options.ConnectionLease;
        foreach (var (id, opened) in _connections.ToArray())
            if (opened <= cutoff)
                _connections.Remove(id);
    }

    private IpStatus Status()
    {
        var now = _clock();
        DropExpiredLeases(now);
        var blocked = _state.IsBlocked(now);
        return new IpStatus(_ipKey, _state.RecentStrikes(now, _options), _state.OffencesAt(now, _options),
            blocked ? _state.BlockedUntil : null, blocked ? _state.BlockReason : null, _connections.Count);
    }
}
