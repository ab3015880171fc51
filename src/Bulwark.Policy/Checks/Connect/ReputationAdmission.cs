using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Connect;

/// <summary>
/// connect.reputation: IpReputation counts the connection farm-wide. A blocked IP, or one over
/// its connection limit, is told 421 and closed. Without an answer the connection cannot be
/// counted: 421 4.3.0, come back later, never a refusal for good.
/// </summary>
public sealed class ReputationAdmission : ICheck<SessionFacts>
{
    public const string CheckName = "connect.reputation";

    private static readonly Verdict Admitted = Verdict.Continue(CheckName) with { Reason = "accepted" };
    private static readonly Verdict Blocked = Verdict.Disconnect(Replies.Blocked, CheckName) with { Reason = "blocked" };
    private static readonly Verdict Busy = Verdict.Disconnect(Replies.TooManyConnections, CheckName) with { Reason = "busy" };

    public string Name => CheckName;

    public async ValueTask<Verdict> CheckAsync(SessionFacts facts)
    {
        try
        {
            return Decide(await facts.Asks.AdmitAsync());
        }
        catch (Exception e)
        {
            return Verdict.Disconnect(Replies.ConnectDeferred, CheckName) with { Reason = "deferred", Failure = e.Message };
        }
    }

    public static Verdict Decide(Admission admission) => admission switch
    {
        Admission.Admitted => Admitted,
        Admission.Blocked => Blocked,
        _ => Busy,
    };
}
