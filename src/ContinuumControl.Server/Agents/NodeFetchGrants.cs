using System.Collections.Concurrent;
using ContinuumControl.Persistence;
using ContinuumControl.Runtime.Checkpoints;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Agents;

/// <summary>
/// What a node may fetch: the modules and checkpoint chunks of workloads placed on it (their last periodic checkpoint,
/// which a recovery restores) or migrating to it (granted by the migration run while it lasts). Anything else is another
/// workload's code or memory and is refused, whoever holds the join token.
/// </summary>
public sealed class NodeFetchGrants(IDbContextFactory<ControlPlaneDbContext> dbFactory)
{
    private readonly ConcurrentDictionary<Guid, MigrationGrant> _migrations = new();

    /// <summary>The migration's target may fetch its workload's module from now on.</summary>
    public void GrantMigration(Guid migrationId, Guid targetNodeId, string moduleHash) =>
        _migrations[migrationId] = new MigrationGrant(targetNodeId, moduleHash, new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));

    /// <summary>The migration's target may fetch the chunks of this (pre-copy or final) manifest.</summary>
    public void GrantChunks(Guid migrationId, string manifestJson)
    {
        if (_migrations.TryGetValue(migrationId, out var grant))
        {
            foreach (var hash in CheckpointManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(manifestJson)).ChunkHashes())
            {
                grant.Chunks.TryAdd(hash, 0);
            }
        }
    }

    /// <summary>The migration is over: its target fetches under the placement rules alone.</summary>
    public void EndMigration(Guid migrationId) => _migrations.TryRemove(migrationId, out _);

    public async Task<bool> MayFetchModuleAsync(Guid nodeId, string hash, CancellationToken cancellationToken)
    {
        if (_migrations.Values.Any(g => g.NodeId == nodeId && g.ModuleHash == hash))
        {
            return true;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var placed = db.Workloads.Where(w => w.NodeId == nodeId && w.State != Domain.Workloads.WorkloadState.Completed
            && w.State != Domain.Workloads.WorkloadState.Failed && w.State != Domain.Workloads.WorkloadState.Stopped);
        return await db.Modules.AnyAsync(m => (m.Hash == hash || m.InstrumentedHash == hash) && placed.Any(w => w.ModuleHash == m.Hash), cancellationToken);
    }

    /// <summary>The first of <paramref name="hashes"/> the node may not fetch, or null when it may fetch them all.</summary>
    public async Task<string?> FirstForbiddenChunkAsync(Guid nodeId, IReadOnlyCollection<string> hashes, CancellationToken cancellationToken)
    {
        var granted = _migrations.Values.Where(g => g.NodeId == nodeId).ToList();
        var rest = hashes.Where(h => !granted.Any(g => g.Chunks.ContainsKey(h))).ToList();
        if (rest.Count == 0)
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var manifests = await db.Workloads.AsNoTracking()
            .Where(w => w.NodeId == nodeId && w.CheckpointManifestJson != null)
            .Select(w => w.CheckpointManifestJson!)
            .ToListAsync(cancellationToken);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var json in manifests)
        {
            try
            {
                placed.UnionWith(CheckpointManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(json)).ChunkHashes());
            }
            catch (CheckpointRejectedException)
            {
                // Not readable: grants nothing.
            }
        }
        return rest.FirstOrDefault(h => !placed.Contains(h));
    }

    private sealed record MigrationGrant(Guid NodeId, string ModuleHash, ConcurrentDictionary<string, byte> Chunks);
}
