using ContinuumControl.Persistence;
using ContinuumControl.Server.Configuration;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Persistence;

/// <summary>Chooses the database provider and its migration set from configuration.</summary>
public static class DatabaseSetup
{
    public static IServiceCollection AddControlPlaneDatabase(this IServiceCollection services, DatabaseOptions database, ServerOptions server)
    {
        if (!database.IsPostgres && !database.Provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Database:Provider is '{database.Provider}'; use 'Sqlite' (default) or 'Postgres'.");
        }
        if (database.IsPostgres && string.IsNullOrWhiteSpace(database.ConnectionString))
        {
            throw new InvalidOperationException("Database:Provider is Postgres but Database:ConnectionString is empty; set it, e.g. Host=localhost;Username=continuum;Password=...;Database=continuum.");
        }
        var connectionString = SqliteOrGiven(database, server);
        services.AddDbContextFactory<ControlPlaneDbContext>(options =>
        {
            if (database.IsPostgres)
            {
                options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly("ContinuumControl.Migrations.Postgres"));
            }
            else
            {
                options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly("ContinuumControl.Migrations.Sqlite"));
            }
        });
        return services;
    }

    private static string SqliteOrGiven(DatabaseOptions database, ServerOptions server)
    {
        if (database.IsPostgres || !string.IsNullOrWhiteSpace(database.ConnectionString))
        {
            return database.ConnectionString;
        }
        Directory.CreateDirectory(server.FullDataDirectory);
        return $"Data Source={Path.Combine(server.FullDataDirectory, "continuum.db")}";
    }

    /// <summary>Applies pending migrations; the server only serves a current schema.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services)
    {
        var factory = services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite())
        {
            // WAL lets the dashboard read while heartbeats and output are written.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }
}
