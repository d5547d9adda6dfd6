namespace ContinuumControl.Server.Migrations;

/// <summary>A migration cannot go on; the reason is shown to the user as is.</summary>
public sealed class MigrationAbortedException(string reason) : Exception(reason);
