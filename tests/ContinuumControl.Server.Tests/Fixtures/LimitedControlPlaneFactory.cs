using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuumControl.Server.Tests.Fixtures;

/// <summary>
/// A SQLite control plane with low abuse limits. Test requests have no client address, so a test names its client in
/// the <see cref="ClientHeader"/> header and gets rate-limit partitions of its own.
/// </summary>
public class LimitedControlPlaneFactory : SqliteControlPlaneFactory
{
    public const string ClientHeader = "X-Test-Client";

    protected virtual IReadOnlyDictionary<string, string> Limits => new Dictionary<string, string>
    {
        ["Server:RateLimits:LoginPerMinute"] = "3",
        ["Server:RateLimits:AuthFailuresPerMinute"] = "3",
        ["Server:RateLimits:UploadsPerMinute"] = "2",
        ["Server:RateLimits:TokenCacheEntries"] = "500",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in Limits)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, TestClientAddress>());
    }

    public HttpClient CreateClientAt(string address, string? token = AdminToken)
    {
        var client = CreateApiClient(token);
        client.DefaultRequestHeaders.Add(ClientHeader, address);
        return client;
    }

    /// <summary>Sets the connection's remote address from the test header before anything else runs.</summary>
    private sealed class TestClientAddress : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[ClientHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
