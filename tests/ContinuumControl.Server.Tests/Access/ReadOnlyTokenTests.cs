using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Security;
using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuumControl.Server.Tests.Access;

/// <summary>A read-only token can look (environment values masked) and nothing else, at every endpoint that changes something.</summary>
public sealed partial class ReadOnlyTokenTests(SqliteControlPlaneFactory factory) : IClassFixture<SqliteControlPlaneFactory>
{
    [Fact]
    public async Task ReadOnlyToken_EveryMutatingApiEndpoint_Answers403NamingTheScope()
    {
        var reader = factory.CreateApiClient((await TokenSeed.CreateAsync(factory, "ro-mutations", Scopes.Read)).Token);
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => (e.RoutePattern.RawText ?? "").TrimStart('/').StartsWith("api/", StringComparison.Ordinal)
                && !(e.RoutePattern.RawText ?? "").Contains("api/agent", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m is not "GET" and not "HEAD").Select(m => (Method: m, Route: Fill(e.RoutePattern.RawText!))))
            .Distinct()
            .ToList();
        Assert.True(endpoints.Count >= 12, $"only {endpoints.Count} mutating endpoints found");
        foreach (var (method, route) in endpoints)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), route) { Content = JsonContent.Create(new { }) };
            var response = await reader.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {route}: {(int)response.StatusCode}");
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "scope");
        }
    }

    [Theory]
    [InlineData("/api/tokens")]
    [InlineData("/hangfire")]
    public async Task ReadOnlyToken_AdminPages_Answer403(string path)
    {
        var reader = factory.CreateApiClient((await TokenSeed.CreateAsync(factory, "ro-admin", Scopes.Read)).Token);

        await ProblemAssert.IsProblemAsync(await reader.GetAsync(path), HttpStatusCode.Forbidden, "scope");
    }

    [Fact]
    public async Task WriteToken_TokenManagement_Answers403()
    {
        var writer = factory.CreateApiClient((await TokenSeed.CreateAsync(factory, "rw-not-admin", Scopes.Read, Scopes.Write)).Token);

        await ProblemAssert.IsProblemAsync(await writer.PostAsJsonAsync("/api/tokens", new { name = "escalate", scopes = new[] { "admin" } }), HttpStatusCode.Forbidden, "admin");
    }

    [Fact]
    public async Task WorkloadEnvironment_ReadOnlyToken_SeesNamesWithValuesMasked_WriteTokenSeesValues()
    {
        var workload = await TokenSeed.WorkloadWithSecretAsync(factory, "env-rest");
        var reader = factory.CreateApiClient((await TokenSeed.CreateAsync(factory, "ro-env", Scopes.Read)).Token);
        var writer = factory.CreateApiClient((await TokenSeed.CreateAsync(factory, "rw-env", Scopes.Read, Scopes.Write)).Token);

        var masked = await reader.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{workload.Id}");
        Assert.Equal(SecretMask.Hidden, masked!.Env["DB_PASSWORD"]);
        Assert.Equal(SecretMask.Hidden, masked.Env["REGION"]);
        var listed = await reader.GetFromJsonAsync<WorkloadList>("/api/workloads?name=env-rest-0000");
        Assert.Equal(SecretMask.Hidden, Assert.Single(listed!.Items).Env["DB_PASSWORD"]);
        var waited = await (await reader.GetAsync($"/api/workloads/{workload.Id}/wait?timeoutSeconds=0")).Content.ReadFromJsonAsync<WorkloadDto>();
        Assert.Equal(SecretMask.Hidden, waited!.Env["DB_PASSWORD"]);
        Assert.DoesNotContain("hunter2", await reader.GetStringAsync("/api/workloads"));

        var clear = await writer.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{workload.Id}");
        Assert.Equal("hunter2", clear!.Env["DB_PASSWORD"]);
    }

    private static string Fill(string pattern) =>
        "/" + RouteParameter().Replace(pattern, m => m.Groups[1].Value switch
        {
            "hash" => new string('a', 64),
            "name" => "Rebalance",
            _ => Guid.NewGuid().ToString(),
        }).TrimStart('/');

    [GeneratedRegex(@"\{([a-zA-Z]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
