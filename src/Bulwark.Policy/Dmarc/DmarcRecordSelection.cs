namespace Bulwark.Policy.Dmarc;

/// <summary>What the TXT records at one _dmarc name amount to (RFC 7489 section 6.6.3 steps 2 to 6).</summary>
public enum DmarcSelectionKind
{
    /// <summary>Exactly one record starts with v=DMARC1 and it is usable: the policy.</summary>
    Found,
    /// <summary>No record starts with v=DMARC1 (or there are no TXT records): the only case in
    /// which discovery goes on to the Organizational Domain.</summary>
    NoRecord,
    /// <summary>Several records start with v=DMARC1: no policy, and discovery stops.</summary>
    Several,
    /// <summary>One record starts with v=DMARC1 but is not usable: no policy, and discovery stops.</summary>
    Invalid,
}

/// <summary>The outcome of choosing the policy among the TXT records found at one name.</summary>
/// <param name="Kind">Which case of section 6.6.3 this is.</param>
/// <param name="Record">The policy, for <see cref="DmarcSelectionKind.Found"/> only.</param>
/// <param name="Problem">Why there is no policy (or, for Found, what the parser repaired); null when nothing to say.</param>
public sealed record DmarcSelection(DmarcSelectionKind Kind, DmarcRecord? Record, string? Problem)
{
    private static readonly DmarcSelection NothingFound = new(DmarcSelectionKind.NoRecord, null, null);

    /// <summary>
    /// Chooses among the TXT records at one name: records not starting with v=DMARC1 are
    /// discarded (SPF records and the like share the name sometimes); none left is
    /// <see cref="DmarcSelectionKind.NoRecord"/>, more than one is
    /// <see cref="DmarcSelectionKind.Several"/>, and the one left is parsed.
    /// </summary>
    public static DmarcSelection Choose(IReadOnlyList<string> txtRecords)
    {
        ArgumentNullException.ThrowIfNull(txtRecords);
        string? chosen = null;
        var count = 0;
        for (var i = 0; i < txtRecords.Count; i++)
        {
            if (!DmarcRecordParser.IsDmarcRecord(txtRecords[i])) continue;
            chosen ??= txtRecords[i];
            count++;
        }
        if (count == 0) return NothingFound;
        if (count > 1) return new DmarcSelection(DmarcSelectionKind.Several, null, $"{count} DMARC records");
        return DmarcRecordParser.TryParse(chosen, out var record, out var problem)
            ? new DmarcSelection(DmarcSelectionKind.Found, record, record.Problem)
            : new DmarcSelection(DmarcSelectionKind.Invalid, null, problem);
    }
}
