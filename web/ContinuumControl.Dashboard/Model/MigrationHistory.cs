using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Dashboard.Model;

/// <summary>
/// Migrations as one view knows them, by id: a snapshot or listing with every later upsert applied. A replayed, older
/// state of a migration never replaces a newer one. Not thread-safe: used on the renderer's context.
/// </summary>
public sealed class MigrationHistory
{
    private readonly Dictionary<Guid, MigrationDto> _byId = [];

    public int Count => _byId.Count;

    /// <summary>Every migration, newest first.</summary>
    public IEnumerable<MigrationDto> Newest =>
        _byId.Values.OrderByDescending(m => m.RequestedAt).ThenByDescending(m => m.Id);

    /// <summary>Replaces everything with <paramref name="migrations"/>.</summary>
    public void Load(IEnumerable<MigrationDto>? migrations)
    {
        _byId.Clear();
        foreach (var migration in migrations ?? [])
        {
            Upsert(migration);
        }
    }

    /// <summary>Keeps <paramref name="migration"/> unless a later state of it is already held; true when it was kept.</summary>
    public bool Upsert(MigrationDto migration)
    {
        if (_byId.TryGetValue(migration.Id, out var held) && IsOlder(migration, held))
        {
            return false;
        }

        _byId[migration.Id] = migration;
        return true;
    }

    /// <summary>Migrations of one workload, newest first.</summary>
    public IEnumerable<MigrationDto> Of(Guid workloadId) => Newest.Where(m => m.WorkloadId == workloadId);

    /// <summary>The newest migration of a workload, finished or not.</summary>
    public MigrationDto? Latest(Guid workloadId) => Of(workloadId).FirstOrDefault();

    // Phases only move forward and bytes only grow, so the state that got further is the newer one.
    private static bool IsOlder(MigrationDto candidate, MigrationDto held) =>
        (candidate.IsFinished, candidate.Phases.Count, candidate.BytesMoved).CompareTo((held.IsFinished, held.Phases.Count, held.BytesMoved)) < 0;
}
