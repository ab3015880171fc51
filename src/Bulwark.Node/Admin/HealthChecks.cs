using Akka.Actor;
using Akka.Cluster;
using Bulwark.Node.Configuration;
using Bulwark.Node.Hosting;

namespace Bulwark.Node.Admin;

/// <summary>
/// Readiness for load balancers and Kubernetes: a node is ready when it is an Up member and,
/// if it listens for SMTP, its listener is open and not draining. Liveness is just "the
/// process answers": restarting a node because the cluster is unwell would make it worse.
/// </summary>
public sealed class HealthChecks(ActorSystem system, BulwarkSettings settings, SmtpListenerService smtp)
{
    public IReadOnlyList<string> Ready()
    {
        var problems = new List<string>();
        var cluster = Cluster.Get(system);
        var status = cluster.SelfMember.Status;
        if (status != MemberStatus.Up) problems.Add($"cluster member status is {status}, not Up");
        if (cluster.State.Unreachable.Contains(cluster.SelfMember)) problems.Add("this node is marked unreachable");
        if (settings.Node.IsListener)
        {
            if (smtp.Draining) problems.Add("SMTP listener is draining");
            else if (smtp.Listener is null) problems.Add("SMTP listener not open yet");
        }
        return problems;
    }
}
