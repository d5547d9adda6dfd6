using ContinuumControl.Contracts.Api;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Live;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Workloads;

/// <summary>One workload as the API shows it, for the endpoints and the dashboard's in-process client alike.</summary>
public static class WorkloadReads
{
    /// <summary>The workload's DTO, or a 404 <see cref="RefusalException"/> naming the id.</summary>
    public static async Task<WorkloadDto> WorkloadDtoAsync(this IDbContextFactory<ControlPlaneDbContext> dbFactory, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workload = await db.Workloads.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, cancellationToken) ?? throw RefusalException.NotFound("Workload", id);
        return await db.WorkloadDtoAsync(workload, cancellationToken);
    }
}
