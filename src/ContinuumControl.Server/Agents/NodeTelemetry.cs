using System.Diagnostics;
using System.Diagnostics.Metrics;
using ContinuumControl.Server.Telemetry;

namespace ContinuumControl.Server.Agents;

/// <summary>Agents' sessions as metrics (heartbeats, registrations, nodes gone Down, the agents connected now) and each registration as a span.</summary>
public sealed class NodeTelemetry
{
    private static readonly ActivitySource Source = new(MeterNames.Agents);

    private readonly Counter<long> _heartbeats;
    private readonly Counter<long> _registrations;
    private readonly Counter<long> _down;

    public NodeTelemetry(IMeterFactory meters, AgentConnections connections)
    {
        var meter = meters.Create(MeterNames.Agents);
        _heartbeats = meter.CreateCounter<long>("continuum.heartbeats", null, "Heartbeats received, by outcome (accepted, unknown: the agent must register again)");
        _registrations = meter.CreateCounter<long>("continuum.agent.registrations", null, "Agents' registrations, by outcome (accepted, refused)");
        _down = meter.CreateCounter<long>("continuum.nodes.down", null, "Nodes marked Down: no heartbeat for their TTL plus grace");
        meter.CreateObservableGauge("continuum.agents.connected", () => connections.Count, null, "Agents connected to the hub now");
    }

    public void Heartbeat(bool accepted) => _heartbeats.Add(1, new KeyValuePair<string, object?>("outcome", accepted ? "accepted" : "unknown"));

    public void NodesDown(int count)
    {
        if (count > 0)
        {
            _down.Add(count);
        }
    }

    /// <summary>A span for an agent's registration (and the reconciliation it brings); null when nothing listens.</summary>
    public static Activity? StartRegistration(string? nodeName) =>
        Source.StartActivity("agent registration")?.SetTag("continuum.node.name", nodeName);

    public void Registered(Activity? activity, bool accepted, string? refusal = null)
    {
        _registrations.Add(1, new KeyValuePair<string, object?>("outcome", accepted ? "accepted" : "refused"));
        if (!accepted)
        {
            activity?.SetStatus(ActivityStatusCode.Error, refusal);
        }
    }
}
