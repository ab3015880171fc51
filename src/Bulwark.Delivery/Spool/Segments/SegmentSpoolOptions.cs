namespace Bulwark.Delivery.Spool.Segments;

/// <summary>Tuning of a <see cref="SegmentSpool"/>; the defaults suit a mail node.</summary>
public sealed record SegmentSpoolOptions
{
    /// <summary>A segment is closed (fsynced, a new one started) once it grows past this.</summary>
    public long SegmentBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Bodies up to this size stay in memory until the commit; larger ones spill to tmp/.</summary>
    public int MemoryBodyBytes { get; init; } = 256 * 1024;

    /// <summary>How often an idle writer removes finished segments and compacts.</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>At most this many body bytes are copied forward per compaction round, so that
    /// compaction never holds commits back for long.</summary>
    public long CompactionBytesPerRound { get; init; } = 8L * 1024 * 1024;
}
