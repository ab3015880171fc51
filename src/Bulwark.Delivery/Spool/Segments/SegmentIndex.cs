namespace Bulwark.Delivery.Spool.Segments;

/// <summary>Where a live message's body is, and its latest envelope.</summary>
internal sealed record Slot(Envelope Envelope, int Segment, long BodyOffset, long BodyLength, uint BodyCrc, long RecordBytes);

/// <summary>One segment file: its size and how much of it still holds live message bodies.</summary>
internal sealed class SegmentFile(int number, string path)
{
    public int Number { get; } = number;
    public string Path { get; } = path;
    public long Size { get; set; }
    public int LiveCount { get; set; }
    public long LiveBytes { get; set; }
    public long Garbage => Size - LiveBytes;
}

/// <summary>
/// The in-memory state rebuilt from the log: live messages and per-segment accounting. Applying
/// the records of the log in order, at recovery or as the writer makes them durable, gives the same
/// state. Not thread-safe: <see cref="SegmentSpool"/> holds its lock around every call.
/// </summary>
internal sealed class SegmentIndex
{
    private readonly Dictionary<string, Slot> _live = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, SegmentFile> _segments = new();

    public int Count => _live.Count;
    public IEnumerable<SegmentFile> Segments => _segments.Values;

    public SegmentFile AddSegment(int number, string path) => _segments[number] = new SegmentFile(number, path);

    public SegmentFile? Segment(int number) => _segments.GetValueOrDefault(number);

    public void DropSegment(int number) => _segments.Remove(number);

    public Slot? Get(string id) => _live.GetValueOrDefault(id);

    public List<Envelope> Envelopes()
    {
        var list = _live.Values.Select(s => s.Envelope).ToList();
        list.Sort((a, b) => string.CompareOrdinal(a.QueueId, b.QueueId));
        return list;
    }

    /// <summary>Applies one record of the log (in log order). <paramref name="recordBytes"/> is its
    /// whole size, counted into the segment it was appended to.</summary>
    public void Apply(RecordKind kind, string id, Envelope? envelope, int segment, long bodyOffset, long bodyLength,
        uint bodyCrc, long recordBytes)
    {
        Grow(segment, recordBytes);
        var file = _segments.GetValueOrDefault(segment);
        switch (kind)
        {
            case RecordKind.Commit or RecordKind.Requeue or RecordKind.Carry when envelope is not null:
                Remove(id);
                _live[id] = new Slot(envelope with { QueueId = id }, segment, bodyOffset, bodyLength, bodyCrc, recordBytes);
                if (file is not null) { file.LiveCount++; file.LiveBytes += recordBytes; }
                break;
            case RecordKind.Update when envelope is not null:
                if (_live.TryGetValue(id, out var slot)) _live[id] = slot with { Envelope = envelope with { QueueId = id } };
                break;
            case RecordKind.Delete or RecordKind.Dead:
                Remove(id);
                break;
        }
    }

    public void Grow(int segment, long recordBytes)
    {
        if (_segments.TryGetValue(segment, out var file)) file.Size += recordBytes;
    }

    public Slot? Remove(string id)
    {
        if (!_live.Remove(id, out var slot)) return null;
        if (_segments.TryGetValue(slot.Segment, out var file))
        {
            file.LiveCount--;
            file.LiveBytes -= slot.RecordBytes;
        }
        return slot;
    }

    /// <summary>The oldest segments holding no live body, up to (not including) <paramref name="keep"/>
    /// or the first that still does. Only a prefix may go: a later segment can hold the Delete or
    /// Update record of a message whose Commit is in an older, still present one.</summary>
    public List<SegmentFile> RemovablePrefix(int keep)
    {
        var result = new List<SegmentFile>();
        foreach (var file in _segments.Values)
        {
            if (file.Number >= keep || file.LiveCount > 0) break;
            result.Add(file);
        }
        return result;
    }

    /// <summary>The oldest segment when copying its live messages forward pays: it is closed (older
    /// than <paramref name="current"/>) and its live bytes are at most half the garbage in all
    /// closed segments, so compaction writes at most half of what it frees.</summary>
    public SegmentFile? CompactionCandidate(int current)
    {
        var oldest = _segments.Values.FirstOrDefault();
        if (oldest is null || oldest.Number >= current || oldest.LiveCount == 0) return null;
        var garbage = _segments.Values.Where(f => f.Number < current).Sum(f => f.Garbage);
        return oldest.LiveBytes * 2 <= garbage ? oldest : null;
    }

    public List<KeyValuePair<string, Slot>> LiveIn(int segment) =>
        _live.Where(kv => kv.Value.Segment == segment).ToList();
}
