using ContinuumControl.Domain.Migrations;
using ContinuumControl.Domain.Modules;
using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Orchestration;
using ContinuumControl.Domain.Security;
using ContinuumControl.Domain.Workloads;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Persistence;

/// <summary>The resource-pool database: nodes, modules, workloads, their output, API tokens and node credentials.</summary>
public sealed class ControlPlaneDbContext(DbContextOptions<ControlPlaneDbContext> options) : DbContext(options)
{
    public DbSet<Node> Nodes => Set<Node>();
    public DbSet<Module> Modules => Set<Module>();
    public DbSet<Workload> Workloads => Set<Workload>();
    public DbSet<OutputChunk> OutputChunks => Set<OutputChunk>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<NodeCredential> NodeCredentials => Set<NodeCredential>();
    public DbSet<Migration> Migrations => Set<Migration>();
    public DbSet<PolicyState> Policies => Set<PolicyState>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ControlPlaneDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare DateTimeOffset values in SQL; unix milliseconds order the same on both providers.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUnixMillisConverter>();
        configurationBuilder.Properties<Dictionary<string, string>>().HaveConversion<JsonDictionaryConverter, JsonDictionaryComparer>();
        configurationBuilder.Properties<List<string>>().HaveConversion<JsonListConverter, JsonListComparer>();
    }
}
