using System.Net;
using ContinuumControl.Server.Security;
using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuumControl.Server.Tests.Api;

public sealed class ApiTokenCacheTests(LimitedControlPlaneFactory factory) : IClassFixture<LimitedControlPlaneFactory>
{
    [Fact]
    public async Task FindAsync_100kRandomBearerValues_StaysWithinTheBound()
    {
        var cache = factory.Services.GetRequiredService<ApiTokenCache>();
        var random = new Random(12);
        var buffer = new byte[24];
        for (var i = 0; i < 100_000; i++)
        {
            random.NextBytes(buffer);
            Assert.Null(await cache.FindAsync("cc_" + Convert.ToBase64String(buffer), CancellationToken.None));
            Assert.True(cache.Count <= cache.Capacity, $"{cache.Count} answers held after {i + 1} lookups, bound {cache.Capacity}");
        }
        Assert.Equal(500, cache.Capacity);

        // The real token still answers when the cache is full of "not valid" answers: they make room for it.
        Assert.NotNull(await cache.FindAsync(ControlPlaneFactory.AdminToken, CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClientAt("10.0.9.1").GetAsync("/api/nodes")).StatusCode);
        Assert.True(cache.Count <= cache.Capacity);
    }
}
