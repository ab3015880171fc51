namespace Bulwark.Admin.Http;

/// <summary>What readiness needs to know of the node's SMTP listener.</summary>
public interface ISmtpReadiness
{
    /// <summary>The node has the listener role at all.</summary>
    bool ServesSmtp { get; }

    /// <summary>The port is open and taking connections.</summary>
    bool Listening { get; }

    /// <summary>The node is leaving: no new sessions should be sent to it.</summary>
    bool Draining { get; }
}
