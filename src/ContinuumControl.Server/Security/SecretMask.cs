using System.Security.Claims;
using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Server.Security;

/// <summary>
/// Workload environment variables often carry credentials: a token without the write or admin scope sees their names
/// with every value replaced by <see cref="Hidden"/>, in the REST API and in the dashboard alike.
/// </summary>
public static class SecretMask
{
    public const string Hidden = "(hidden)";

    public static WorkloadDto ForViewer(this WorkloadDto workload, bool maySeeSecrets) =>
        maySeeSecrets || workload.Env.Count == 0
            ? workload
            : workload with { Env = workload.Env.ToDictionary(e => e.Key, _ => Hidden, StringComparer.Ordinal) };

    public static WorkloadDto ForViewer(this WorkloadDto workload, ClaimsPrincipal user) => workload.ForViewer(ScopeCheck.MaySeeSecrets(user));

    public static IReadOnlyList<WorkloadDto> ForViewer(this IReadOnlyList<WorkloadDto> workloads, bool maySeeSecrets) =>
        maySeeSecrets ? workloads : workloads.Select(w => w.ForViewer(false)).ToList();

    public static ClusterChange ForViewer(this ClusterChange change, bool maySeeSecrets) =>
        change.Workload is { } workload && !maySeeSecrets ? change with { Workload = workload.ForViewer(false) } : change;
}
