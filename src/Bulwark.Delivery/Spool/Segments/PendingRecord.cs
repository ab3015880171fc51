namespace Bulwark.Delivery.Spool.Segments;

/// <summary>A record waiting for the writer; where it landed is filled in by the writer.</summary>
internal sealed class PendingRecord(RecordKind kind, string id, Envelope? envelope, BodySource body, TaskCompletionSource? done)
{
    public RecordKind Kind { get; } = kind;
    public string Id { get; } = id;
    public Envelope? Envelope { get; } = envelope;
    public BodySource Body { get; } = body;
    /// <summary>Completed once the record is durable (null: nobody waits, e.g. Delete).</summary>
    public TaskCompletionSource? Done { get; } = done;
    /// <summary>For Carry: the segment the body is copied out of.</summary>
    public int CarriedFrom { get; init; } = -1;

    public int Segment { get; set; }
    public long BodyOffset { get; set; }
    public long RecordBytes { get; set; }
}
