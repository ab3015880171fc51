using Microsoft.Extensions.Logging;

namespace Bulwark.Delivery.Spool.Segments;

/// <summary>Recovery at start, and space reclamation on the writer thread.</summary>
public sealed partial class SegmentSpool
{
    private void Recover()
    {
        foreach (var path in Directory.EnumerateFiles(TmpDir))
        {
            TryDelete(path);
            _log.LogInformation("Spool recovery removed stale {Path}", path);
        }

        var numbers = Directory.EnumerateFiles(SegmentsDir, "*.seg")
            .Select(p => int.TryParse(Path.GetFileNameWithoutExtension(p), out var n) && n > 0 ? n : 0)
            .Where(n => n > 0).Order().ToList();
        foreach (var number in numbers)
        {
            var path = SegmentPath(number);
            _index.AddSegment(number, path);
            var valid = SegmentReader.Scan(path, r =>
                _index.Apply(r.Kind, r.Id, r.Envelope, number, r.BodyOffset, r.BodyLength, r.BodyCrc, r.RecordBytes));
            var length = new FileInfo(path).Length;
            if (valid == length) continue;
            // Never acknowledged (its fsync had not returned): cut it off so the log stays parseable.
            _log.LogWarning("Spool recovery truncated torn tail of {Path}: {Bytes} bytes after offset {Valid}",
                path, length - valid, valid);
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
            RandomAccess.SetLength(handle, valid);
            RandomAccess.FlushToDisk(handle);
        }
        if (numbers.Count > 0) _nextNumber = numbers[^1] + 1;

        // dead/ files of a message the log still has live: a dead-letter move whose Dead record never
        // became durable, or a requeue whose Requeue record did. Either way the log is the truth.
        foreach (var path in Directory.EnumerateFiles(DeadDir))
        {
            var id = Path.GetFileNameWithoutExtension(path);
            if (_index.Get(id) is null) continue;
            TryDelete(path);
            _log.LogWarning("Spool recovery removed {Path}: {QueueId} is queued", path, id);
        }

        // The newest segment stays even when finished: numbers must never be reused, or a segment
        // whose unlink was lost in a crash could be replayed after newer records.
        RemoveFinishedSegments(numbers.Count > 0 ? numbers[^1] : 0);
    }

    /// <summary>Unlinks finished segments, then copies live bodies forward out of the oldest one when
    /// that pays (see <see cref="SegmentIndex.CompactionCandidate"/>).</summary>
    private void Maintain()
    {
        // Between a roll and the next batch there is no current segment: keep the newest closed one,
        // so that numbers are not reused after a restart (see Recover).
        var keep = _current?.Number ?? _nextNumber - 1;
        RemoveFinishedSegments(keep);
        List<PendingRecord> carry = [];
        lock (_gate)
        {
            if (_index.CompactionCandidate(CurrentNumber) is not { } oldest) return;
            long budget = 0;
            foreach (var (id, slot) in _index.LiveIn(oldest.Number))
            {
                if (budget > 0 && budget + slot.BodyLength > _options.CompactionBytesPerRound) break;
                budget += slot.BodyLength;
                var body = new BodySource(ReadOnlyMemory<byte>.Empty, oldest.Path, slot.BodyOffset, slot.BodyLength, slot.BodyCrc);
                carry.Add(new PendingRecord(RecordKind.Carry, id, slot.Envelope, body, null) { CarriedFrom = oldest.Number });
            }
        }
        _log.LogInformation("Spool compaction copies {Count} live messages forward", carry.Count);
        WriteBatch(carry);
        RemoveFinishedSegments(_current?.Number ?? _nextNumber - 1);
    }

    private void RemoveFinishedSegments(int keep)
    {
        List<SegmentFile> done;
        lock (_gate) done = _index.RemovablePrefix(keep);
        foreach (var file in done)
        {
            // No directory fsync: a segment that reappears after a crash holds only records about
            // messages that are gone, or whose Delete/Carry is in a newer segment replayed after it.
            File.Delete(file.Path);
            lock (_gate) _index.DropSegment(file.Number);
            _log.LogDebug("Spool segment {Path} removed: nothing live in it", file.Path);
        }
    }
}
