using System.Net;
using System.Net.Http.Json;
using ContinuumControl.Server.Security;
using ContinuumControl.Server.Tests.Fixtures;

namespace ContinuumControl.Server.Tests.Access;

/// <summary>
/// The admin scope guards token management, node credentials and the Hangfire dashboard: a read token and a
/// read+write token are refused at each of them (and what they asked for is not done), an admin token is let in.
/// </summary>
public sealed class AdminScopeTests(SqliteControlPlaneFactory factory) : IClassFixture<SqliteControlPlaneFactory>
{
    public static TheoryData<string, string> AdminEndpoints => new()
    {
        { "GET", "/api/tokens" },
        { "POST", "/api/tokens" },
        { "DELETE", "/api/tokens/{victim}" },
        { "GET", "/api/nodes/credentials" },
        { "DELETE", "/api/nodes/{node}/credential" },
        { "POST", "/api/nodes/{node}/credential/rotate" },
        { "GET", "/hangfire" },
    };

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task ReadAndWriteTokens_AtAnAdminEndpoint_Answer403NamingAdmin_AndChangeNothing(string method, string route)
    {
        var victim = await TokenSeed.CreateAsync(factory, $"victim-{Guid.NewGuid():N}", Scopes.Read);
        await using var agent = await TestAgent.JoinAsync(factory, $"admin-{Guid.NewGuid():N}"[..20]);
        var path = route.Replace("{victim}", victim.Id.ToString()).Replace("{node}", agent.NodeId.ToString());
        var before = await TokenNamesAsync();

        foreach (var scopes in new[] { new[] { Scopes.Read }, [Scopes.Read, Scopes.Write] })
        {
            var caller = factory.CreateApiClient((await TokenSeed.CreateAsync(factory, $"{string.Join('+', scopes)}-{Guid.NewGuid():N}", scopes)).Token);
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { name = "escalated", scopes = new[] { Scopes.Admin } }) };

            var response = await caller.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{string.Join('+', scopes)} token, {method} {path}: {(int)response.StatusCode}");
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, Scopes.Admin);
        }

        var after = await TokenNamesAsync();
        Assert.DoesNotContain("escalated", after);
        Assert.Contains(victim.Name, after);
        Assert.Equal(before.Count + 2, after.Count);
        var credentials = await factory.CreateApiClient().GetStringAsync("/api/nodes/credentials");
        Assert.Contains(agent.NodeId.ToString(), credentials, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/api/tokens")]
    [InlineData("/api/nodes/credentials")]
    [InlineData("/hangfire")]
    public async Task AdminToken_AtAnAdminPage_IsLetIn(string path)
    {
        var admin = factory.CreateApiClient((await TokenSeed.CreateAsync(factory, $"admin-{Guid.NewGuid():N}", Scopes.Read, Scopes.Admin)).Token);

        var response = await admin.GetAsync(path);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
    }

    private async Task<List<string>> TokenNamesAsync() =>
        (await factory.CreateApiClient().GetFromJsonAsync<List<TokenInfo>>("/api/tokens"))!.Select(t => t.Name).ToList();
}
