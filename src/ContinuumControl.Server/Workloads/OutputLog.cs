using System.Text;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Live;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Workloads;

/// <summary>
/// A workload's output as one byte stream per standard stream, whichever node wrote it. Appends carry their
/// byte offset, so a replayed or overlapping append stores nothing twice and the stream never has a gap.
/// </summary>
public sealed class OutputLog(IDbContextFactory<ControlPlaneDbContext> dbFactory, ClusterEvents events, WorkloadTelemetry telemetry)
{
    /// <summary>Most bytes one read returns.</summary>
    public const int MaxReadBytes = 1024 * 1024;

    /// <summary>Stores what is new in an append; returns the bytes actually stored.</summary>
    public async Task<int> AppendAsync(Guid workloadId, OutputStream stream, long offset, byte[] data, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var end = await EndAsync(db, workloadId, stream, cancellationToken);
        var skip = end - offset;
        if (skip >= data.Length)
        {
            return 0;
        }
        if (skip < 0)
        {
            throw new InvalidOperationException($"output for {stream} would leave a gap: stream ends at {end}, append starts at {offset}");
        }
        var fresh = skip == 0 ? data : data[(int)skip..];
        db.OutputChunks.Add(new OutputChunk { WorkloadId = workloadId, Stream = stream, Offset = end, Data = fresh });
        await db.SaveChangesAsync(cancellationToken);
        telemetry.OutputStored(stream, fresh.Length);
        if (events.HasSubscribers)
        {
            var text = new OutputDto(Name(stream), end, end + fresh.Length, Encoding.UTF8.GetString(fresh), false);
            events.Publish(new ClusterChange(ClusterChangeKind.OutputAppended, Output: text, OutputWorkloadId: workloadId));
        }
        return fresh.Length;
    }

    /// <summary>Bytes of <paramref name="stream"/> from <paramref name="offset"/>, at most <paramref name="maxBytes"/>.</summary>
    public async Task<(byte[] Data, long End)> ReadAsync(Guid workloadId, OutputStream stream, long offset, int maxBytes, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var chunks = await db.OutputChunks.AsNoTracking()
            // Only the chunks the read overlaps: a long stream is never loaded whole to return one piece.
            .Where(c => c.WorkloadId == workloadId && c.Stream == stream && c.Offset + c.Data.Length > offset && c.Offset < offset + maxBytes)
            .OrderBy(c => c.Offset)
            .ToListAsync(cancellationToken);
        using var buffer = new MemoryStream();
        foreach (var chunk in chunks)
        {
            var start = (int)Math.Max(0, offset - chunk.Offset);
            var take = Math.Min(chunk.Data.Length - start, maxBytes - (int)buffer.Length);
            if (take <= 0)
            {
                break;
            }
            buffer.Write(chunk.Data, start, take);
        }
        return (buffer.ToArray(), offset + buffer.Length);
    }

    public static async Task<long> EndAsync(ControlPlaneDbContext db, Guid workloadId, OutputStream stream, CancellationToken cancellationToken)
    {
        var last = await db.OutputChunks.AsNoTracking()
            .Where(c => c.WorkloadId == workloadId && c.Stream == stream)
            .OrderByDescending(c => c.Offset)
            .Select(c => new { c.Offset, Length = c.Data.Length })
            .FirstOrDefaultAsync(cancellationToken);
        return last is null ? 0 : last.Offset + last.Length;
    }

    public static string Name(OutputStream stream) => stream == OutputStream.Stdout ? "stdout" : "stderr";

    public static bool TryParseStream(string? name, out OutputStream stream)
    {
        switch (name?.ToLowerInvariant())
        {
            case null or "" or "stdout":
                stream = OutputStream.Stdout;
                return true;
            case "stderr":
                stream = OutputStream.Stderr;
                return true;
            default:
                stream = default;
                return false;
        }
    }
}
