using Akka.Actor;
using Akka.Cluster;

namespace Bulwark.Admin.Http;

/// <summary>
/// Readiness for load balancers and Kubernetes: a node is ready when it is an Up member and,
/// if it listens for SMTP, its listener is open and not draining. Liveness is just "the
/// process answers": restarting a node because the cluster is unwell would make it worse.
/// </summary>
public sealed class HealthChecks(ActorSystem system, ISmtpReadiness smtp)
{
    public IReadOnlyList<string> Ready()
    {
        var problems = new List<string>();
        var cluster = Cluster.Get(system);
        var status = cluster.SelfMember.Status;
        if (status != MemberStatus.Up) problems.Add($"cluster member status is {status}, not Up");
        if (cluster.State.Unreachable.Contains(cluster.SelfMember)) problems.Add("this node is marked unreachable");
        if (smtp.ServesSmtp)
        {
            if (smtp.Draining) problems.Add("SMTP listener is draining");
            else if (!smtp.Listening) problems.Add("SMTP listener not open yet");
        }
        return problems;
    }
}
