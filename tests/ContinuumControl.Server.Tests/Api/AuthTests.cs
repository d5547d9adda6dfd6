using System.Net;
using System.Net.Http.Json;
using ContinuumControl.Server.Tests.Fixtures;

namespace ContinuumControl.Server.Tests.Api;

public abstract class AuthTests<TFactory>(TFactory factory) where TFactory : ControlPlaneFactory
{
    [Fact]
    public async Task Healthz_WithoutToken_IsOpen()
    {
        var response = await factory.CreateApiClient(token: null).GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/nodes")]
    [InlineData("/api/modules")]
    [InlineData("/api/workloads")]
    public async Task Get_WithoutToken_Returns401Problem(string path)
    {
        var response = await factory.CreateApiClient(token: null).GetAsync(path);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "Bearer");
    }

    [Fact]
    public async Task Get_WithWrongToken_Returns401AndNoData()
    {
        var response = await factory.CreateApiClient("cc_not-a-token").GetAsync("/api/nodes");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("memoryBytes", body);
    }

    [Fact]
    public async Task Post_WithReadOnlyToken_Returns403Problem()
    {
        var admin = factory.CreateApiClient();
        var created = await admin.PostAsJsonAsync("/api/tokens", new { name = "ci-readonly", scopes = new[] { "read" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = (await created.Content.ReadFromJsonAsync<Security.CreatedToken>())!.Token;

        var reader = factory.CreateApiClient(token);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/nodes")).StatusCode);
        var response = await reader.PostAsJsonAsync("/api/workloads", new { moduleHash = new string('a', 64) });
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "scope");
    }

    [Fact]
    public async Task CreateToken_WithUnknownScope_Returns400NamingIt()
    {
        var response = await factory.CreateApiClient().PostAsJsonAsync("/api/tokens", new { name = "x", scopes = new[] { "root" } });
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "root");
    }

    [Fact]
    public async Task RevokedToken_IsRefused()
    {
        var admin = factory.CreateApiClient();
        var created = await (await admin.PostAsJsonAsync("/api/tokens", new { name = "short-lived" })).Content.ReadFromJsonAsync<Security.CreatedToken>();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/tokens/{created!.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateApiClient(created.Token).GetAsync("/api/nodes")).StatusCode);
    }

    [Fact]
    public async Task AgentHub_WithWrongJoinToken_IsRefused()
    {
        await using var hub = TestAgent.Connect(factory, "ccj_wrong");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => hub.StartAsync());
        Assert.Contains("401", error.Message);
    }

    [Fact]
    public async Task AgentModuleDownload_WithApiToken_IsRefused()
    {
        var response = await factory.CreateApiClient().GetAsync($"/api/agent/modules/{new string('a', 64)}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_WithoutLogin_RedirectsToLogin()
    {
        var response = await factory.CreateApiClient(token: null).GetAsync("/hangfire");
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found, $"got {(int)response.StatusCode}");
        Assert.StartsWith("/login", response.Headers.Location?.PathAndQuery);
    }
}

public sealed class SqliteAuthTests(SqliteControlPlaneFactory factory) : AuthTests<SqliteControlPlaneFactory>(factory), IClassFixture<SqliteControlPlaneFactory>;

public sealed class PostgresAuthTests(PostgresControlPlaneFactory factory) : AuthTests<PostgresControlPlaneFactory>(factory), IClassFixture<PostgresControlPlaneFactory>;
