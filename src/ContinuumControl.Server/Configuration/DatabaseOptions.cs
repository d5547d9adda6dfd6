namespace ContinuumControl.Server.Configuration;

/// <summary>Which database holds the resource pool (section "Database").</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>"Sqlite" (embedded default) or "Postgres".</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Required for Postgres; for Sqlite defaults to a file in the data directory.</summary>
    public string ConnectionString { get; set; } = "";

    public bool IsPostgres => Provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);
}
