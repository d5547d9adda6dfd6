using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Dashboard.Model;

/// <summary>
/// What the orchestration page shows: the cluster policies, recent evaluations, and the pool (for node and workload
/// names and the migration history), each loaded once and then kept up to date by the change stream. Not thread-safe:
/// used on the renderer's context.
/// </summary>
public sealed class OrchestrationState
{
    private readonly Dictionary<string, PolicyDto> _policies = new(StringComparer.OrdinalIgnoreCase);

    public ClusterState Cluster { get; } = new();

    public EvaluationLog Evaluations { get; } = new();

    /// <summary>Policies by name.</summary>
    public IEnumerable<PolicyDto> Policies => _policies.Values.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Replaces everything.</summary>
    public void Load(DashboardSnapshot snapshot, IEnumerable<PolicyDto> policies, IEnumerable<EvaluationDto> evaluations)
    {
        Cluster.Load(snapshot);
        _policies.Clear();
        foreach (var policy in policies)
        {
            _policies[policy.Name] = policy;
        }

        Evaluations.Load(evaluations);
    }

    /// <summary>Applies one change; false when it changes nothing shown here.</summary>
    public bool Apply(ClusterChange change)
    {
        switch (change.Kind)
        {
            case ClusterChangeKind.PolicyUpserted when change.Policy is { } policy:
                return Upsert(policy);
            case ClusterChangeKind.EvaluationUpserted when change.Evaluation is { } evaluation:
                return Evaluations.Upsert(evaluation);
            case ClusterChangeKind.MigrationUpserted:
                return Cluster.Apply(change);
            default:
                // Nodes and workloads only lend their names here: every heartbeat would otherwise re-render the page.
                Cluster.Apply(change);
                return false;
        }
    }

    /// <summary>Keeps the policy's latest state (from the stream or an action's answer).</summary>
    public bool Upsert(PolicyDto policy)
    {
        _policies[policy.Name] = policy;
        return true;
    }

    public string NodeName(Guid? id) => id is { } nodeId && Cluster.FindNode(nodeId) is { } node ? node.Name : id is null ? "" : ShortId(id.Value);

    public string WorkloadName(Guid? id) => id is { } workloadId && Cluster.FindWorkload(workloadId) is { } workload ? workload.Name : id is null ? "" : ShortId(id.Value);

    private static string ShortId(Guid id) => id.ToString("N")[..8];
}
