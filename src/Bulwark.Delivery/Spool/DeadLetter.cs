namespace Bulwark.Delivery.Spool;

/// <summary>One message in dead/: its last envelope (the recipients still undelivered), why it was
/// set aside and when.</summary>
public sealed record DeadLetter(Envelope Envelope, string Reason, DateTimeOffset DeadAt);
