using System.Security.Claims;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.ServiceClient;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Security;
using ContinuumControl.Server.Workloads;
using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuumControl.Server.Tests.Access;

/// <summary>
/// The dashboard's client, as a circuit of a signed-in user holds it: it checks the token's scopes itself, whatever a page
/// offered, so a read-only user's forced action is refused with a reason and changes nothing.
/// </summary>
public sealed class DashboardClientScopeTests(SqliteControlPlaneFactory factory) : IClassFixture<SqliteControlPlaneFactory>
{
    private async Task<(AsyncServiceScope Scope, IControlPlaneClient Client)> SignedInAsync(params string[] scopes)
    {
        var token = await TokenSeed.CreateAsync(factory, $"dash-{string.Join("-", scopes)}-{Guid.NewGuid():N}", scopes);
        return SignedIn(new TokenIdentity(token.Id, token.Name, token.Scopes));
    }

    private (AsyncServiceScope Scope, IControlPlaneClient Client) SignedIn(TokenIdentity identity)
    {
        var scope = factory.Services.CreateAsyncScope();
        var principal = ApiTokenAuthenticationHandler.Principal(identity, AuthSchemes.Cookie);
        ((IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return (scope, scope.ServiceProvider.GetRequiredService<IControlPlaneClient>());
    }

    [Fact]
    public async Task ReadOnlyUser_EveryAction_IsRefusedNamingTheWriteScope_AndChangesNothing()
    {
        var node = await WorkloadSeed.NodeAsync(factory, $"ro-node-{Guid.NewGuid():N}", DateTimeOffset.UtcNow);
        var workload = await TokenSeed.WorkloadWithSecretAsync(factory, "ro-actions");
        var (scope, client) = await SignedInAsync(Scopes.Read);
        await using var _ = scope;
        var none = CancellationToken.None;

        var actions = new (string Name, Func<Task> Run)[]
        {
            ("deploy", () => client.DeployAsync(new CreateWorkloadRequest(new string('a', 64)), none)),
            ("stop", () => client.StopAsync(workload.Id, none)),
            ("delete", () => client.DeleteAsync(workload.Id, none)),
            ("migrate", () => client.MigrateAsync(workload.Id, node.Id, none)),
            ("cordon", () => client.CordonAsync(node.Id, none)),
            ("drain", () => client.DrainAsync(node.Id, none)),
            ("uncordon", () => client.UncordonAsync(node.Id, none)),
            ("pin", () => client.PinAsync(workload.Id, true, none)),
            ("pause", () => client.SetPolicyPausedAsync("Rebalance", true, none)),
            ("run", () => client.RunPolicyAsync("Rebalance", none)),
        };
        foreach (var (name, run) in actions)
        {
            var refused = await Assert.ThrowsAsync<ControlPlaneException>(run);
            Assert.True(refused.Message.Contains("lacks the write scope", StringComparison.Ordinal), $"{name}: {refused.Message}");
        }

        var still = await client.GetWorkloadAsync(workload.Id, none);
        Assert.NotNull(still);
        Assert.Equal(WorkloadState.Running, still.State);
        Assert.False(still.Pinned);
        Assert.Equal(NodeState.Ready, (await client.GetSnapshotAsync(none)).Nodes.Single(n => n.Id == node.Id).State);
        Assert.False((await client.GetPoliciesAsync(none)).Single(p => p.Name == "Rebalance").Paused);
    }

    [Fact]
    public async Task ReadOnlyUser_SeesEnvironmentNamesWithValuesMasked_InEveryView()
    {
        var workload = await TokenSeed.WorkloadWithSecretAsync(factory, "ro-views");
        var (scope, client) = await SignedInAsync(Scopes.Read);
        await using var _ = scope;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var watch = client.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var next = watch.MoveNextAsync();

        Assert.Equal(SecretMask.Hidden, (await client.GetWorkloadAsync(workload.Id, cts.Token))!.Env["DB_PASSWORD"]);
        Assert.Equal(SecretMask.Hidden, (await client.GetSnapshotAsync(cts.Token)).Workloads.Single(w => w.Id == workload.Id).Env["DB_PASSWORD"]);
        var page = await client.QueryWorkloadsAsync(new WorkloadFilter(Search: "ro-views"), WorkloadSort.CreatedAt, true, 0, 10, cts.Token);
        Assert.Equal(SecretMask.Hidden, Assert.Single(page.Items).Env["DB_PASSWORD"]);

        var clear = (await StoredWorkloadAsync(workload.Id)) with { Name = "changed" };
        factory.Services.GetRequiredService<ClusterEvents>().Publish(new ClusterChange(ClusterChangeKind.WorkloadUpserted, Workload: clear));
        Assert.True(await next);
        Assert.Equal(SecretMask.Hidden, watch.Current.Workload!.Env["DB_PASSWORD"]);
        Assert.Equal("eu-west", clear.Env["REGION"]);
    }

    [Fact]
    public async Task WriteUser_SeesEnvironmentValues()
    {
        var workload = await TokenSeed.WorkloadWithSecretAsync(factory, "rw-views");
        var (scope, client) = await SignedInAsync(Scopes.Read, Scopes.Write);
        await using var _ = scope;

        Assert.Equal("hunter2", (await client.GetWorkloadAsync(workload.Id, CancellationToken.None))!.Env["DB_PASSWORD"]);
    }

    [Fact]
    public async Task RevokedToken_OpenPageAction_IsRefusedAtOnce()
    {
        var workload = await TokenSeed.WorkloadWithSecretAsync(factory, "revoked-action");
        var (scope, client) = await SignedInAsync(Scopes.Read, Scopes.Write);
        await using var _ = scope;
        var id = ScopeCheck.TokenId((await scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>().GetAuthenticationStateAsync()).User)!.Value;
        await TokenSeed.DeleteRowAsync(factory, id);

        var refused = await Assert.ThrowsAsync<ControlPlaneException>(() => client.PinAsync(workload.Id, true, CancellationToken.None));
        Assert.Contains("revoked", refused.Message, StringComparison.Ordinal);
    }

    private Task<WorkloadDto> StoredWorkloadAsync(Guid id) =>
        factory.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().WorkloadDtoAsync(id, CancellationToken.None);
}
