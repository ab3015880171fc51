namespace Bulwark.Policy.Sessions;

/// <summary>Faults found while reading a DATA body. Any of them refuses the message; the body
/// is still read to its end so that the dialogue stays in step.</summary>
[Flags]
public enum DataFaults
{
    None = 0,
    TooLarge = 1,
    BareCarriageReturn = 2,
    BareLineFeed = 4,
    Nul = 8,
    LineTooLong = 16,
}

public readonly record struct DataOutcome(DataFaults Faults, long Bytes, bool Completed);
