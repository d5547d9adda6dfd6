using System.Net;
using System.Net.Http.Json;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuumControl.Server.Tests.Fixtures;

/// <summary>Tokens with chosen scopes, and a workload whose environment holds a secret, for the access tests.</summary>
public static class TokenSeed
{
    public static async Task<CreatedToken> CreateAsync(ControlPlaneFactory factory, string name, params string[] scopes)
    {
        var created = await factory.CreateApiClient().PostAsJsonAsync("/api/tokens", new { name, scopes });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<CreatedToken>())!;
    }

    /// <summary>Deletes the token as another control-plane instance would: this process does not hear of it.</summary>
    public static async Task DeleteRowAsync(ControlPlaneFactory factory, Guid id)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.ApiTokens.Where(t => t.Id == id).ExecuteDeleteAsync());
    }

    /// <summary>A running workload with DB_PASSWORD=hunter2 and REGION=eu-west.</summary>
    public static async Task<Workload> WorkloadWithSecretAsync(ControlPlaneFactory factory, string prefix)
    {
        var workload = (await WorkloadSeed.WorkloadsAsync(factory, prefix, DateTimeOffset.UtcNow, null, WorkloadState.Running)).Single();
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var row = await db.Workloads.SingleAsync(w => w.Id == workload.Id);
        row.Env = new Dictionary<string, string> { ["DB_PASSWORD"] = "hunter2", ["REGION"] = "eu-west" };
        await db.SaveChangesAsync();
        return row;
    }
}
