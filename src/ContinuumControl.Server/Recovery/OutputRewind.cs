using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Runtime.Checkpoints;
using Microsoft.EntityFrameworkCore;
using System.Text;

namespace ContinuumControl.Server.Recovery;

/// <summary>
/// Cuts a workload's stored output back to where its new run starts writing: the offsets in the checkpoint it resumes
/// from, or zero when it starts from the beginning. Without this a restarted run's output would sit after the lost run's
/// partial output (or, for output that differs between runs, be mixed with it); with it the stored output is exactly
/// one clean run's.
/// </summary>
public static class OutputRewind
{
    public static async Task ToStartOfRunAsync(ControlPlaneDbContext db, Workload workload, CancellationToken cancellationToken)
    {
        var (stdout, stderr) = (0L, 0L);
        if (workload.CheckpointManifestJson is { } json)
        {
            var wasi = CheckpointManifestSerializer.Parse(Encoding.UTF8.GetBytes(json)).Wasi;
            (stdout, stderr) = (wasi.StdoutOffset, wasi.StderrOffset);
        }
        await ToAsync(db, workload.Id, OutputStream.Stdout, stdout, cancellationToken);
        await ToAsync(db, workload.Id, OutputStream.Stderr, stderr, cancellationToken);
    }

    /// <summary>Keeps bytes [0, <paramref name="end"/>) of the stream; a chunk that straddles the end is shortened.</summary>
    public static async Task ToAsync(ControlPlaneDbContext db, Guid workloadId, OutputStream stream, long end, CancellationToken cancellationToken)
    {
        await db.OutputChunks.Where(c => c.WorkloadId == workloadId && c.Stream == stream && c.Offset >= end).ExecuteDeleteAsync(cancellationToken);
        var straddling = await db.OutputChunks
            .Where(c => c.WorkloadId == workloadId && c.Stream == stream && c.Offset < end && c.Offset + c.Data.Length > end)
            .ToListAsync(cancellationToken);
        foreach (var chunk in straddling)
        {
            chunk.Data = chunk.Data[..(int)(end - chunk.Offset)];
        }
        if (straddling.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
