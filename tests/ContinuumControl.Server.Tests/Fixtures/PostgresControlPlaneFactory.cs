using Npgsql;

namespace ContinuumControl.Server.Tests.Fixtures;

/// <summary>Production set-up: a real PostgreSQL (started by test.sh), a fresh database per test class.</summary>
public class PostgresControlPlaneFactory : ControlPlaneFactory
{
    private readonly string _database = $"cc_test_{Guid.NewGuid():N}";

    protected override string Provider => "Postgres";

    protected override string ConnectionString => new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = _database }.ConnectionString;

    /// <summary>Set by test.sh, which starts PostgreSQL on loopback.</summary>
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("CONTINUUM_TEST_POSTGRES")
        ?? throw new InvalidOperationException("CONTINUUM_TEST_POSTGRES is not set: run the tests with ./test.sh, which starts PostgreSQL and sets it.");

    public override async Task InitializeAsync()
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task DropAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
