using ContinuumControl.Server.Security;
using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContinuumControl.Server.Tests.Access;

/// <summary>
/// Walks every endpoint the server maps: only the public list answers anonymous users, and each other endpoint needs
/// the scope its kind of work calls for (read for /api reads and /metrics, write or admin for /api changes, admin for tokens and
/// Hangfire, the join token for agents). A new endpoint that forgets RequireAuthorization is caught here, and closed
/// anyway by the fallback policy.
/// </summary>
public sealed class EndpointAuthorizationTests(SqliteControlPlaneFactory factory) : IClassFixture<SqliteControlPlaneFactory>
{
    /// <summary>
    /// Public on purpose: health checks, the sign-in form and its POST, sign-out (a revoked session must still be able to
    /// clear its cookie), the OpenAPI document and its Scalar viewer (they describe the API, which the repository
    /// publishes anyway, and hold no data), the not-found page (it shows nothing but "not found"), and static files (the same for everyone; the sign-in page needs them).
    /// </summary>
    private static readonly string[] PublicRoutes = ["/healthz", "/auth/login", "/auth/logout", "/login", "/not-found", "/openapi/{documentName}.json"];

    private IReadOnlyList<RouteEndpoint> Endpoints()
    {
        _ = factory.CreateApiClient();
        return factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
    }

    private static string Route(RouteEndpoint e) => "/" + (e.RoutePattern.RawText ?? "").Trim('/');

    private static bool IsStaticFile(RouteEndpoint e) =>
        e.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor")
        || (Route(e).StartsWith("/_framework/", StringComparison.Ordinal) && Path.HasExtension(Route(e)));

    private static bool IsPublic(RouteEndpoint e) =>
        PublicRoutes.Contains(Route(e)) || Route(e).StartsWith("/scalar", StringComparison.Ordinal) || IsStaticFile(e);

    private static IReadOnlyList<string> Methods(RouteEndpoint e) =>
        e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? [];

    private static IReadOnlyList<string?> Policies(RouteEndpoint e) => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();

    [Fact]
    public void EveryEndpoint_ExceptThePublicOnes_NeedsAuthentication()
    {
        var endpoints = Endpoints();
        Assert.Contains(endpoints, e => Route(e) == "/api/tokens");
        Assert.Contains(endpoints, e => Route(e).StartsWith("/hangfire", StringComparison.Ordinal));

        var open = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null && !IsPublic(e)).Select(Route).ToList();
        Assert.True(open.Count == 0, "anonymous but not on the public list: " + string.Join(", ", open));

        var closedPublic = PublicRoutes.Where(r => endpoints.Where(e => Route(e) == r).All(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)).ToList();
        Assert.True(closedPublic.Count == 0, "public but not anonymous: " + string.Join(", ", closedPublic));
    }

    [Fact]
    public void FallbackPolicy_RequiresASignedInUser()
    {
        _ = factory.CreateApiClient();
        var fallback = factory.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy;
        Assert.NotNull(fallback);
        Assert.Contains(fallback.Requirements, r => r is Microsoft.AspNetCore.Authorization.Infrastructure.DenyAnonymousAuthorizationRequirement);
        Assert.Contains(AuthSchemes.ApiOrCookie, fallback.AuthenticationSchemes);
    }

    [Fact]
    public void EachEndpoint_NeedsTheScopeItsWorkCallsFor()
    {
        var wrong = new List<string>();
        foreach (var e in Endpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            var route = Route(e);
            var policies = Policies(e);
            var methods = Methods(e);
            var reads = methods.Count > 0 && methods.All(m => m is "GET" or "HEAD");
            string[] allowed = route switch
            {
                // Module and chunk fetches need a node credential; the hub also lets the join token in, to register.
                _ when route.StartsWith("/api/agent", StringComparison.Ordinal) => [AuthSchemes.NodePolicy],
                _ when route.StartsWith("/hubs/agent", StringComparison.Ordinal) => [AuthSchemes.AgentPolicy],
                _ when route.StartsWith("/api/tokens", StringComparison.Ordinal) || route.StartsWith("/hangfire", StringComparison.Ordinal) => [AuthSchemes.AdminPolicy],
                _ when route.StartsWith("/api/", StringComparison.Ordinal) && reads => [AuthSchemes.ReadPolicy, AuthSchemes.WritePolicy, AuthSchemes.AdminPolicy],
                // The Prometheus scrape: metrics are a read of the cluster.
                _ when route == Contracts.Routes.Metrics => [AuthSchemes.ReadPolicy],
                _ when route.StartsWith("/api/", StringComparison.Ordinal) || route.StartsWith("/hubs/", StringComparison.Ordinal) => [AuthSchemes.WritePolicy, AuthSchemes.AdminPolicy],
                // Dashboard pages and its circuit hub: any signed-in user ([Authorize] or the fallback); each action inside
                // is checked against the token's scopes by ControlPlaneClient.
                _ => [],
            };
            if (allowed.Length == 0)
            {
                if (policies.Any(p => p is not null))
                {
                    wrong.Add($"{route}: unexpected policies {string.Join(",", policies)}");
                }
                continue;
            }
            if (!policies.Any(p => p is not null && allowed.Contains(p)))
            {
                wrong.Add($"{string.Join(",", methods)} {route}: has [{string.Join(",", policies)}], needs one of [{string.Join(",", allowed)}]");
            }
        }
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public void Walk_CoversTheDashboardAndItsFramework()
    {
        var routes = Endpoints().Select(Route).ToList();
        Assert.Contains("/", routes);
        Assert.Contains(routes, r => r.StartsWith("/_blazor", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.StartsWith("/_content/", StringComparison.Ordinal));
    }
}
