using System.Net;
using ContinuumControl.Contracts;
using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace ContinuumControl.Server.Tests.Telemetry;

/// <summary>OTLP export is off unless Telemetry:OtlpEndpoint names a collector; /metrics is served either way.</summary>
public sealed class OtlpSettingsTests
{
    private sealed class WithOtlp : SqliteControlPlaneFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // Nothing listens there: export fails quietly in the background, the control plane is not held up.
            builder.UseSetting("Telemetry:OtlpEndpoint", "http://127.0.0.1:9");
        }
    }

    [Fact]
    public Task Default_TracesNothing() => WithFactoryAsync(new SqliteControlPlaneFactory(), async factory =>
    {
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateApiClient().GetAsync(Routes.Metrics)).StatusCode);
        Assert.Null(factory.Services.GetService<TracerProvider>());
    });

    [Fact]
    public Task OtlpEndpointSet_TracesAndStillServesMetrics() => WithFactoryAsync(new WithOtlp(), async factory =>
    {
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateApiClient().GetAsync(Routes.Metrics)).StatusCode);
        Assert.NotNull(factory.Services.GetService<TracerProvider>());
    });

    private static async Task WithFactoryAsync(ControlPlaneFactory factory, Func<ControlPlaneFactory, Task> test)
    {
        try
        {
            await test(factory);
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }
}
