using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Dashboard.Model;

/// <summary>A migration with its place in the cluster's order (1 = oldest listed), as the table and the chart label it.</summary>
public sealed record MigrationRow(int Number, MigrationDto Migration)
{
    /// <summary>Numbers <paramref name="history"/> oldest first.</summary>
    public static IReadOnlyList<MigrationRow> NumberAll(MigrationHistory history) =>
        [.. history.Newest.Reverse().Select((m, i) => new MigrationRow(i + 1, m))];
}
